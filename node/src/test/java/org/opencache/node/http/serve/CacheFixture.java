package org.opencache.node.http.serve;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.opencache.common.config.AddressRange;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.node.http.origin.NodeAddresses;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.store.MapObjectStore;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.testing.Await;
import org.opencache.testing.MutableClock;
import org.opencache.testing.TestOrigin;

/**
 * The proxy and the client of a three-party test: a Jetty server on a loopback port running one
 * {@link CacheHandler} over an in-memory store, and a Jetty client that talks to it with any
 * {@code Host} field (the JDK client refuses to set one). The origin is the test's own.
 */
final class CacheFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock();
    final InstanceCounters counters = new InstanceCounters();
    /** The in-memory store, or null when the cache runs over another one ({@link #over}). */
    final MapObjectStore store;
    final OriginClient origins;
    final CacheHandler handler;
    final String instance;
    private final Server proxy = new Server();
    private final ServerConnector connector;
    private final HttpClient client = new HttpClient();

    private CacheFixture(Expression expression, Duration horizon, long maxItemSize, Duration responseTimeout,
            OriginAccess access) throws Exception {
        this(expression, horizon, new MapObjectStore(maxItemSize), responseTimeout, access, null);
    }

    private CacheFixture(Expression expression, Duration horizon, ObjectStore objects, Duration responseTimeout,
            OriginAccess access, ClientLimits limits) throws Exception {
        this(expression, horizon, objects, responseTimeout, access, limits, List.of());
    }

    private CacheFixture(Expression expression, Duration horizon, ObjectStore objects, Duration responseTimeout,
            OriginAccess access, ClientLimits limits, List<AddressRange> purgeAllow) throws Exception {
        this(expression, horizon, objects, responseTimeout, access, limits, purgeAllow, ResponseRulesConfig.defaults());
    }

    private CacheFixture(Expression expression, Duration horizon, ObjectStore objects, Duration responseTimeout,
            OriginAccess access, ClientLimits limits, List<AddressRange> purgeAllow, ResponseRulesConfig rules)
            throws Exception {
        store = objects instanceof MapObjectStore map ? map : null;
        origins = OriginClient.start(Duration.ofSeconds(2), responseTimeout, ClientHttpConfiguration.RELAYABLE_FIELD_BYTES,
                new NodeAddresses("127.0.0.1", Clock.systemUTC()));
        handler = new CacheHandler(expression, objects, origins, counters, () -> horizon, clock, access, purgeAllow,
                rules);
        instance = expression.canonical();
        // An instance's HTTP configuration: its Date, its response head limit.
        connector = new ServerConnector(proxy, new HttpConnectionFactory(ClientHttpConfiguration.create()));
        if (limits != null) {
            limits.guard(connector);
        }
        connector.setHost("127.0.0.1");
        proxy.addConnector(connector);
        proxy.setHandler(handler);
        proxy.start();
        client.setMaxConnectionsPerDestination(200);
        client.setFollowRedirects(false);
        client.start();
        client.getContentDecoderFactories().clear();
    }

    /** A cache for an expression, no horizon, no item size limit, a 2 s origin timeout. */
    static CacheFixture start(String expression) throws Exception {
        return start(expression, Duration.ZERO, 0, Duration.ofSeconds(2));
    }

    /** A cache with every knob given; origins are refused as a node refuses them (no origin_deny). */
    static CacheFixture start(String expression, Duration horizon, long maxItemSize, Duration responseTimeout)
            throws Exception {
        Expression parsed = parse(expression);
        return new CacheFixture(parsed, horizon, maxItemSize, responseTimeout, OriginAccess.forInstance(parsed, List.of()));
    }

    /** A cache with the node's {@code targeted_cache_control}, {@code targeted_cache_control_forward}, {@code set_cookie} and {@code cache_authorized}. */
    static CacheFixture withRules(String expression, ResponseRulesConfig rules) throws Exception {
        Expression parsed = parse(expression);
        return new CacheFixture(parsed, Duration.ZERO, new MapObjectStore(0), Duration.ofSeconds(2),
                OriginAccess.forInstance(parsed, List.of()), null, List.of(), rules);
    }

    /** A cache whose node has {@code cache_authorized = false}: requests with credentials bypass it. */
    static CacheFixture bypassingAuthorization(String expression) throws Exception {
        return withRules(expression, ResponseRulesConfig.defaults().withCacheAuthorized(false));
    }

    /** A cache whose port puts {@code limits} on its clients, as a node's instance ports do. */
    static CacheFixture guarded(String expression, ClientLimits limits) throws Exception {
        Expression parsed = parse(expression);
        return new CacheFixture(parsed, Duration.ZERO, new MapObjectStore(0), Duration.ofSeconds(2),
                OriginAccess.forInstance(parsed, List.of()), limits);
    }

    /** The proxy's port. */
    int port() {
        return connector.getLocalPort();
    }

    /** A cache for an expression over {@code objects}, e.g. the node's real store; no horizon, a 2 s origin timeout. */
    static CacheFixture over(ObjectStore objects, String expression) throws Exception {
        Expression parsed = parse(expression);
        return new CacheFixture(parsed, Duration.ZERO, objects, Duration.ofSeconds(2),
                OriginAccess.forInstance(parsed, List.of()), null);
    }

    /** A cache over {@code objects} that takes {@code PURGE} from the {@code purge_allow} blocks given. */
    static CacheFixture purging(ObjectStore objects, String expression, String... purgeAllow) throws Exception {
        Expression parsed = parse(expression);
        return new CacheFixture(parsed, Duration.ZERO, objects, Duration.ofSeconds(2),
                OriginAccess.forInstance(parsed, List.of()), null,
                Arrays.stream(purgeAllow).map(AddressRange::parse).toList());
    }

    /** A cache for an expression whose instance also refuses the {@code origin_deny} blocks given. */
    static CacheFixture denying(String expression, String... originDeny) throws Exception {
        Expression parsed = parse(expression);
        List<AddressRange> deny = Arrays.stream(originDeny).map(AddressRange::parse).toList();
        return new CacheFixture(parsed, Duration.ZERO, 0, Duration.ofSeconds(2), OriginAccess.forInstance(parsed, deny));
    }

    /**
     * A cache that may reach any address. For tests of {@code *}'s routing: a test origin can only
     * live on this machine, which a node's {@code *} instance refuses (OriginAccessIT shows that).
     */
    static CacheFixture unrestricted(String expression) throws Exception {
        return new CacheFixture(parse(expression), Duration.ZERO, 0, Duration.ofSeconds(2), OriginAccess.unrestricted());
    }

    /** A request to the proxy with the given Host field; add fields and send it. */
    Request request(String method, String host, String target) {
        return client.newRequest("127.0.0.1", connector.getLocalPort())
                .method(method)
                .path(target)
                .timeout(10, TimeUnit.SECONDS)
                .headers(fields -> fields.put(HttpHeader.HOST, host));
    }

    /** A GET through the proxy for {@code origin}'s path, with optional field name/value pairs. */
    ContentResponse get(TestOrigin origin, String target, String... fields) throws Exception {
        return send("GET", origin.authority(), target, fields);
    }

    /** Sends a request through the proxy and waits for the whole response. */
    ContentResponse send(String method, String host, String target, String... fields) throws Exception {
        Request request = request(method, host, target);
        for (int i = 0; i < fields.length; i += 2) {
            String name = fields[i];
            String value = fields[i + 1];
            request.headers(h -> h.add(name, value));
        }
        return request.send();
    }

    /** Sends raw bytes to the proxy and returns everything it answers until it closes. */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The proxy's own {@code host:port}. */
    String proxyAuthority() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    /**
     * Waits until the cache has counted this many responses; fails after 5 s. It counts a response
     * when the last write to the client completes, which can be a moment after the client has read it all.
     */
    void awaitCounted(long responses) {
        Await.until(responses + " responses counted", Duration.ofSeconds(5), () -> counters.requests() >= responses,
                () -> "counted " + counters.requests());
    }

    /** The key a URL of this instance is stored under. */
    StoreKey key(TestOrigin origin, String target) {
        return CacheKeys.key(instance, "127.0.0.1", origin.port(), target);
    }

    /** The Jetty client, for tests that need to watch a response arrive. */
    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.stop();
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test proxy", e);
        } finally {
            origins.close();
        }
    }

    private static Expression parse(String text) {
        try {
            return Expression.parse(text);
        } catch (InvalidExpressionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
