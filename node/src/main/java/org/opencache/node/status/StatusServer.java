package org.opencache.node.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.auth.RefusalLog;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.SettingException;
import org.opencache.common.json.Json;
import org.opencache.node.stats.InstanceView;
import org.opencache.node.stats.NodeMeters;
import org.slf4j.LoggerFactory;

/**
 * The node's own HTTP endpoint on {@code node_admin_host:node_port}: {@code GET /status} (JSON,
 * for people and scripts) and {@code GET /metrics} (Prometheus text); with {@code status_tokens},
 * only for requests with a bearer token of {@code api_tokens_file} (401 otherwise, before the
 * method and path are looked at).
 *
 * <pre>{"node-id": 1, "link_public_key": "rq:rM&gt;…" (or null), "uptime": 3600, "cache_items": 12, "cache_bytes": 123456,
 *  "controller": "connected", "instances": [{"expr": "example.com", "status": "start", "port": 49003,
 *  "cache_hit": 10, "cache_miss": 2, "origin_error": 0}]}</pre>
 */
public final class StatusServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private StatusServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Binds {@code host:port} ({@code port} 0 picks a free one) and starts serving to anyone. */
    public static StatusServer start(String host, int port, NodeStatusSource source) throws Exception {
        return start(host, port, source, Optional.empty());
    }

    /**
     * Binds {@code host:port} ({@code node_admin_host:node_port}; {@code port} 0 picks a free one)
     * and starts serving.
     *
     * @param tokens with {@code status_tokens}, the tokens one of which a request must carry as
     *               {@code Authorization: Bearer SECRET} (any role: each includes {@code read})
     * @throws SettingException when the address cannot be bound: {@code node_port = PORT: address in use}, or why else
     */
    public static StatusServer start(String host, int port, NodeStatusSource source, Optional<ApiTokens> tokens)
            throws Exception {
        return start(host, port, source, tokens, new NodeMeters());
    }

    /**
     * As {@link #start(String, int, NodeStatusSource, Optional)}, with {@code /metrics} showing
     * {@code meters}, where the node's instances keep theirs.
     */
    public static StatusServer start(String host, int port, NodeStatusSource source, Optional<ApiTokens> tokens,
            NodeMeters meters) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("status");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 0, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new StatusHandler(source, new NodeMetrics(source, meters.registry()), tokens,
                new RefusalLog(LoggerFactory.getLogger(StatusServer.class), Clock.systemUTC(), "status request")));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            // Jetty says only "Failed to bind to /HOST:PORT": name the key and the reason.
            Optional<SettingException> bind = SettingException.ofBind(ConfigKey.NODE_PORT, port, host + ":" + port, e);
            throw bind.isPresent() ? bind.get() : e;
        }
        return new StatusServer(server, connector);
    }

    /** Where the endpoint listens. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LoggerFactory.getLogger(StatusServer.class).warn("stopping the status endpoint: {}", e.toString());
        }
    }

    private static final class StatusHandler extends Handler.Abstract {
        private static final String BEARER = "Bearer ";
        private final NodeStatusSource source;
        private final NodeMetrics metrics;
        private final Optional<ApiTokens> tokens;
        private final RefusalLog refusals;

        StatusHandler(NodeStatusSource source, NodeMetrics metrics, Optional<ApiTokens> tokens, RefusalLog refusals) {
            this.source = source;
            this.metrics = metrics;
            this.tokens = tokens;
            this.refusals = refusals;
        }

        /** Why the request may not see the status, or empty when it may. */
        private Optional<String> refusal(Request request) {
            if (tokens.isEmpty()) {
                return Optional.empty();
            }
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return Optional.of("this endpoint needs a token (status_tokens): send 'Authorization: Bearer SECRET'");
            }
            return tokens.get().bearer(authorization.substring(BEARER.length()).strip()).isPresent()
                    ? Optional.empty() : Optional.of("no token has this bearer secret");
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Optional<String> refused = refusal(request);
            if (refused.isPresent()) {
                refusals.refused(Request.getRemoteAddr(request), HttpStatus.UNAUTHORIZED_401, refused.get());
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"opencache\"");
                return write(response, callback, HttpStatus.UNAUTHORIZED_401, "text/plain", refused.get() + "\n");
            }
            if (!HttpMethod.GET.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET");
                return write(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain", "use GET\n");
            }
            return switch (Request.getPathInContext(request)) {
                case "/status" -> write(response, callback, HttpStatus.OK_200, "application/json",
                        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status()) + "\n");
                case "/metrics" -> write(response, callback, HttpStatus.OK_200,
                        "text/plain; version=0.0.4", metrics.scrape());
                default -> write(response, callback, HttpStatus.NOT_FOUND_404, "text/plain",
                        "OpenCache node: GET /status or GET /metrics\n");
            };
        }

        private ObjectNode status() {
            ObjectNode status = Json.mapper().createObjectNode();
            if (source.nodeId().isPresent()) {
                status.put("node-id", source.nodeId().getAsInt());
            } else {
                status.putNull("node-id");
            }
            status.put("link_public_key", source.linkPublicKey().orElse(null));
            status.put("uptime", Duration.between(source.startedAt(), Instant.now()).toSeconds());
            long items = 0;
            long bytes = 0;
            ArrayNode instances = status.putArray("instances");
            for (InstanceView view : source.instances()) {
                String expr = view.state().expr();
                long objects = source.store().objectCount(expr);
                long stored = source.store().objectBytes(expr);
                items += objects;
                bytes += stored;
                instances.addObject()
                        .put("expr", expr)
                        .put("status", view.state().status().wireName())
                        .put("port", view.state().port())
                        .put("cache_hit", view.counters().hits())
                        .put("cache_miss", view.counters().misses())
                        .put("origin_error", view.counters().originErrors())
                        .put("cache_object", objects)
                        .put("cache_object_size", stored);
            }
            status.put("cache_items", items);
            status.put("cache_bytes", bytes);
            status.put("controller", source.controllerConnected() ? "connected" : "disconnected");
            return status;
        }

        private static boolean write(Response response, Callback callback, int code, String type, String body) {
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }
}
