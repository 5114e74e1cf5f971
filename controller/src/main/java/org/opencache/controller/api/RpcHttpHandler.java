package org.opencache.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.opencache.common.auth.RefusalLog;
import org.opencache.common.auth.TokenRole;
import org.opencache.common.json.Json;

/**
 * The JSON-RPC endpoint over HTTP: {@code POST /} and {@code POST /rpc}, the controller's
 * Prometheus metrics at {@code GET /metrics} ({@link ApiMetrics}), and with {@code console} the web
 * console at {@code GET /} and {@code GET /console/…} ({@link ConsoleHandler}). Bodies over
 * {@link #MAX_BODY_BYTES} are refused (413) before they are parsed. JSON-RPC errors travel with HTTP
 * 200, as JSON-RPC over HTTP expects; no input produces a 500. With tokens configured, a request
 * without valid credentials gets 401 and one the token's role may not make 403, each with a
 * JSON-RPC error, before anything runs.
 */
final class RpcHttpHandler extends Handler.Abstract {
    /** Largest request body accepted: far above any real batch, far below a memory problem. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of a refused body is read (and dropped) so that its client gets the 413; see {@link #discard}. */
    static final long MAX_DISCARDED_BYTES = 16L * MAX_BODY_BYTES;
    private static final String JSON = "application/json";
    private static final String USAGE = "This is the OpenCache JSON-RPC 2.0 endpoint. Send requests with POST, e.g.\n"
            + "  curl -s -H 'Content-Type: application/json' -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\"}' "
            + "http://HOST:PORT/\n";

    private final RpcProcessor processor;
    private final Gatekeeper gatekeeper;
    private final RefusalLog refusals;
    private final ApiMetrics metrics;
    private final Optional<ConsoleHandler> console;

    RpcHttpHandler(RpcProcessor processor, Gatekeeper gatekeeper, RefusalLog refusals, ApiMetrics metrics,
            Optional<ConsoleHandler> console) {
        this.processor = processor;
        this.gatekeeper = gatekeeper;
        this.refusals = refusals;
        this.metrics = metrics;
        this.console = console;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        if (path.equals("/metrics")) {
            return metrics(request, response, callback);
        }
        // A browser's GET of / (or of the console's files) gets the console; POST / stays JSON-RPC.
        if (console.isPresent() && ConsoleHandler.serves(path)
                && (HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))) {
            return console.get().handle(request, response, callback);
        }
        if (!path.equals("/") && !path.equals("/rpc")) {
            return respond(response, callback, HttpStatus.NOT_FOUND_404, "text/plain",
                    "No such resource. " + USAGE);
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return respond(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain", USAGE);
        }
        long declared = request.getLength();
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > MAX_BODY_BYTES) {
                if (declared <= MAX_DISCARDED_BYTES) {
                    discard(in, declared);
                }
                return tooLarge(response, callback);
            }
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                discard(in, MAX_DISCARDED_BYTES - body.length);
                return tooLarge(response, callback);
            }
        }
        // Credentials are checked on the whole body (an HMAC signs it), and before anything runs.
        TokenRole role;
        switch (gatekeeper.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), body)) {
            case Access.Denied denied -> {
                refusals.refused(Request.getRemoteAddr(request), HttpStatus.UNAUTHORIZED_401, denied.reason());
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"opencache\"");
                return respond(response, callback, HttpStatus.UNAUTHORIZED_401, JSON,
                        Json.mapper().writeValueAsString(RpcErrors.unauthorized(denied.reason())) + "\n");
            }
            case Access.Granted granted -> role = granted.role();
        }
        RpcProcessor.Answer answer = processor.process(body, role);
        if (answer.forbidden()) {
            JsonNode error = answer.body().orElseThrow();
            refusals.refused(Request.getRemoteAddr(request), HttpStatus.FORBIDDEN_403,
                    error.path("error").path("data").asText());
            return respond(response, callback, HttpStatus.FORBIDDEN_403, JSON,
                    Json.mapper().writeValueAsString(error) + "\n");
        }
        Optional<JsonNode> reply = answer.body();
        if (reply.isEmpty()) {
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return true;
        }
        return respond(response, callback, HttpStatus.OK_200, JSON,
                Json.mapper().writeValueAsString(reply.get()) + "\n");
    }

    /**
     * {@code GET /metrics}: the Prometheus text, under the API's own rule: with
     * {@code api_tokens_file}, a token of any role ({@code read} suffices; Bearer, or an HMAC
     * signing the empty body), else open like the API itself.
     */
    private boolean metrics(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            return respond(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain", "use GET /metrics\n");
        }
        if (gatekeeper.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), new byte[0])
                instanceof Access.Denied denied) {
            refusals.refused(Request.getRemoteAddr(request), HttpStatus.UNAUTHORIZED_401, denied.reason());
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"opencache\"");
            return respond(response, callback, HttpStatus.UNAUTHORIZED_401, "text/plain", denied.reason() + "\n");
        }
        return respond(response, callback, HttpStatus.OK_200, "text/plain; version=0.0.4", metrics.scrape());
    }

    /**
     * Reads and drops up to {@code limit} more bytes of a refused body. Clients send their whole
     * body before they read the answer, and a connection closed with request bytes still unread
     * is reset, which can destroy the 413 on its way (seen in ControllerApiIT); past the limit the
     * connection is closed anyway.
     */
    private static void discard(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        for (long left = limit; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                return;
            }
            left -= read;
        }
    }

    private static boolean tooLarge(Response response, Callback callback) throws IOException {
        String error = Json.mapper().writeValueAsString(RpcErrors.invalidRequest(null,
                "the request body is larger than " + MAX_BODY_BYTES + " bytes"));
        // The rest of the body may be unread: do not keep the connection for another request.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return respond(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, JSON, error + "\n");
    }

    private static boolean respond(Response response, Callback callback, int status, String type, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
        Content.Sink.write(response, true, text, callback);
        return true;
    }
}
