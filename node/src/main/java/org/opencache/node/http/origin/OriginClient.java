package org.opencache.node.http.origin;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.LoggerFactory;

/**
 * The node's connection-pooled HTTP client towards origins, shared by all its instances, with
 * the timeouts that keep a dead or stalled origin from holding a client forever.
 *
 * <p>The client is a faithful relay: it follows no redirects, keeps no cookies, decodes no
 * content (a gzip body is stored and served as gzip), adds no {@code User-Agent} of its own, and
 * passes every interim (1xx) response on to the exchange ({@link InterimResponses}).
 *
 * <p>It connects only where the target's {@link org.opencache.node.http.rules.OriginAccess} allows:
 * every request is tagged with its rule, and the resolver ({@link CheckingResolver}) checks each
 * address the host resolves to against it and the node's own addresses before a connection opens.
 */
public final class OriginClient implements AutoCloseable {
    private static final int PARSED_HEADER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Duration responseTimeout;
    private final int maxFieldBytes;

    private OriginClient(HttpClient client, Duration responseTimeout, int maxFieldBytes) {
        this.client = client;
        this.responseTimeout = responseTimeout;
        this.maxFieldBytes = maxFieldBytes;
    }

    /**
     * Starts a client.
     *
     * @param connectTimeout  how long a TCP connect may take ({@code origin_connect_timeout})
     * @param responseTimeout how long the origin may take to send the response headers, and how
     *                        long it may then stay silent before the exchange fails
     *                        ({@code origin_read_timeout})
     * @param maxFieldBytes   the most bytes of fields a response may have: more could not be
     *                        relayed to a client, and the exchange fails
     *                        ({@link FieldsTooLargeException}, a 502)
     * @param nodeAddresses   the node's own addresses, which instances may not fetch from
     * @throws IllegalStateException if the client cannot start (no threads, no selector)
     */
    public static OriginClient start(Duration connectTimeout, Duration responseTimeout, int maxFieldBytes,
            Supplier<Set<InetAddress>> nodeAddresses) {
        if (!connectTimeout.isPositive() || !responseTimeout.isPositive()) {
            throw new IllegalArgumentException("origin timeouts must be positive: connect " + connectTimeout
                    + ", response " + responseTimeout);
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("origin");
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        // The parser's per-connection cache of header fields matches case-insensitively by
        // default: on a reused connection, "MAX-AGE=60" after "max-age=60" would be relayed and
        // stored as the earlier spelling. A relay passes field values on exactly as sent.
        transport.setHeaderCacheCaseSensitive(true);
        HttpClient client = new HttpClient(transport);
        client.setExecutor(threads);
        // Our own scheduler, so that the resolver can be built before the client starts.
        Scheduler scheduler = new ScheduledExecutorScheduler("origin-scheduler", false);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new CheckingResolver(
                new SocketAddressResolver.Async(threads, scheduler, client.getAddressResolutionTimeout()), nodeAddresses));
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(responseTimeout.toMillis());
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        // The parser reads a head well over the limit, so that OriginExchange (which counts whole
        // fields) answers it precisely; a far bigger one fails here as a protocol error (also a
        // 502), without being held in memory.
        client.setMaxResponseHeadersSize(Math.max(PARSED_HEADER_BYTES, 2 * maxFieldBytes));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the origin HTTP client: " + e, e);
        }
        // After start: starting installs the default decoders, and a cache must relay bodies as sent.
        client.getContentDecoderFactories().clear();
        InterimResponses.install(client);
        return new OriginClient(client, responseTimeout, maxFieldBytes);
    }

    /** How long an origin may take to answer, or stay silent; also how long collapsed requests wait. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** The most bytes of fields an origin response may have to be relayed. */
    public int maxFieldBytes() {
        return maxFieldBytes;
    }

    /**
     * A request to the target's origin for exactly its request target, with exactly its fields,
     * tagged with the target's access rule (connection pools are per rule, and the resolver reads it).
     */
    public Request newRequest(String method, OriginTarget target) {
        return client.newRequest(target.host(), target.port())
                .tag(target.access())
                .method(method)
                .path(target.pathAndQuery())
                .headers(headers -> headers.clear().add(target.fields()));
    }

    /** The scheduler for the response-headers timeout. */
    Scheduler scheduler() {
        return client.getScheduler();
    }

    /** Where work that follows an origin event runs (e.g. serving collapsed requests). */
    public Executor executor() {
        return client.getExecutor();
    }

    /** Stops the client; exchanges still running fail. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            LoggerFactory.getLogger(OriginClient.class).warn("stopping the origin HTTP client: {}", e.toString());
        }
    }
}
