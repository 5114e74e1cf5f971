package org.opencache.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A scriptable origin on a loopback port: each path gets a {@link Route}, and every request is
 * recorded (method, target, fields, body) so tests can count and inspect what reached the origin.
 * It sends no {@code Date} unless a route does, so ages depend only on the test's clock.
 */
public final class TestOrigin implements AutoCloseable {

    /** How the origin answers one path; may block (the origin has its own threads). */
    @FunctionalInterface
    public interface Route {
        void handle(Request request, Response response, Callback callback) throws Exception;
    }

    /**
     * One request as the origin saw it.
     *
     * @param method the method
     * @param target the request target (path and query, as sent)
     * @param fields the request fields
     * @param body   the request body as text
     */
    public record Seen(String method, String target, HttpFields fields, String body) {
    }

    private final Server server = new Server();
    private final ServerConnector connector;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Route fallback;

    public TestOrigin() throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendDateHeader(false);
        http.setSendServerVersion(false);
        // Room for origins that send more fields than a cache relays.
        http.setResponseHeaderSize(64 * 1024);
        // Tests read the fields the cache sent exactly as spelt (Jetty's parser would otherwise
        // reuse an earlier value that differs only in case).
        http.setHeaderCacheCaseSensitive(true);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPathQuery(),
                        HttpFields.build(request.getHeaders()).asImmutable(), body));
                Route route = routes.getOrDefault(request.getHttpURI().getPath(), fallback);
                if (route == null) {
                    response.setStatus(404);
                    Content.Sink.write(response, true, "no route\n", callback);
                } else {
                    route.handle(request, response, callback);
                }
                return true;
            }
        });
        server.start();
    }

    /** Answers a path with a route. */
    public TestOrigin route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** Answers every path that has no route of its own with {@code route}. */
    public TestOrigin routeAll(Route route) {
        fallback = route;
        return this;
    }

    /**
     * A route naming the path and the Host it was asked for, cacheable for a minute; the query
     * parameter {@code body-size} pads the body to that many bytes.
     */
    public static Route describe() {
        return (request, response, callback) -> {
            String body = describe(request.getHttpURI().getPath(), request.getHeaders().get(HttpHeader.HOST));
            String size = Request.extractQueryParameters(request).getValue("body-size");
            if (size != null) {
                body = body + "\n" + "x".repeat(Math.max(0, Integer.parseInt(size) - body.length() - 1));
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, body, callback);
        };
    }

    /** The body {@link #describe()} sends for {@code path} asked for under {@code host}. */
    public static String describe(String path, String host) {
        return "object " + path + " from " + host;
    }

    /** A route answering 200 with a text body and the given field name/value pairs. */
    public static Route ok(String body, String... fields) {
        return respond(200, body, fields);
    }

    /** A route answering with a status, a text body and the given field name/value pairs. */
    public static Route respond(int status, String body, String... fields) {
        return (request, response, callback) -> {
            response.setStatus(status);
            for (int i = 0; i < fields.length; i += 2) {
                response.getHeaders().add(fields[i], fields[i + 1]);
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, body, callback);
        };
    }

    /** The port the origin listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, for expressions and Host fields. */
    public String authority() {
        return "127.0.0.1:" + port();
    }

    /** The requests that reached a path. */
    public List<Seen> seen(String path) {
        return seen.stream().filter(s -> s.target().equals(path) || s.target().startsWith(path + "?")).toList();
    }

    /** How many requests reached a path. */
    public int requests(String path) {
        return seen(path).size();
    }

    /** How many requests reached the origin at all. */
    public int requests() {
        return seen.size();
    }

    /** The last request that reached a path. */
    public Seen last(String path) {
        List<Seen> forPath = seen(path);
        return forPath.get(forPath.size() - 1);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test origin", e);
        }
    }
}
