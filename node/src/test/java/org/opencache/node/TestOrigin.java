package org.opencache.node;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP origin on loopback for tests: {@code GET /any/path} answers a body naming the path
 * and the Host it was asked for ({@code body-size} query parameter pads it), cacheable for a
 * minute, and counts the requests per path so tests can prove what reached the origin.
 */
public final class TestOrigin implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    /** Starts on a free loopback port. */
    public TestOrigin() throws Exception {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                String body = "object " + path + " from " + request.getHeaders().get(HttpHeader.HOST);
                String size = Request.extractQueryParameters(request).getValue("body-size");
                if (size != null) {
                    body = body + "\n" + "x".repeat(Math.max(0, Integer.parseInt(size) - body.length() - 1));
                }
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
    }

    /** The origin's port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT/path}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The body the origin sends for {@code path} when asked for {@code host}. */
    public static String body(String path, String host) {
        return new String(("object " + path + " from " + host).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** How many requests for {@code path} reached the origin. */
    public int requests(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
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
