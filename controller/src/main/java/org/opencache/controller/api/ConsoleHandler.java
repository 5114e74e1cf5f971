package org.opencache.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.opencache.common.json.Json;

/**
 * The web console (docs/design.md §4 "Console"): {@code GET /} is its page, {@code GET /console/FILE}
 * its script, style sheet and the uPlot chart library (from the uPlot WebJar on the class path:
 * nothing is fetched from the network at run time), and {@code GET /console/whoami} the role of
 * the caller's token. The files hold no data and are served without a token; the page reads
 * everything through the JSON-RPC API with the token the user gives it.
 */
final class ConsoleHandler {
    /** Where the console's own files are on the class path. */
    private static final String OWN = "console/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    /** Only the console's own data (connect-src 'self'); uPlot sets element styles, hence 'unsafe-inline' for styles. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** A file, and its gzip form for the browsers that accept it (all do: uPlot shrinks from 49 to 22 KB). */
    private record Asset(String type, byte[] body, byte[] gzipped) {
        Asset(String type, byte[] body) {
            this(type, body, gzip(body));
        }
    }

    private final Map<String, Asset> assets;
    private final Gatekeeper gatekeeper;

    private ConsoleHandler(Map<String, Asset> assets, Gatekeeper gatekeeper) {
        this.assets = assets;
        this.gatekeeper = gatekeeper;
    }

    /**
     * Loads the console's files from the class path once, so that a missing file fails the
     * controller's start rather than a browser's request.
     *
     * @throws IllegalStateException when a file is not on the class path
     */
    static ConsoleHandler load(Gatekeeper gatekeeper) {
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion() + "/dist/";
        return new ConsoleHandler(Map.of(
                "/", new Asset("text/html; charset=utf-8", read(OWN + "index.html")),
                "/console/console.js", new Asset("text/javascript; charset=utf-8", read(OWN + "console.js")),
                "/console/console.css", new Asset("text/css; charset=utf-8", read(OWN + "console.css")),
                "/console/uPlot.iife.min.js", new Asset("text/javascript; charset=utf-8", read(uplot + "uPlot.iife.min.js")),
                "/console/uPlot.min.css", new Asset("text/css; charset=utf-8", read(uplot + "uPlot.min.css"))),
                gatekeeper);
    }

    /** {@return whether this handler answers {@code path}: {@code /} and everything under {@code /console/}} */
    static boolean serves(String path) {
        return path.equals("/") || path.startsWith("/console/");
    }

    /** Answers a GET or HEAD of a path {@link #serves} accepts. */
    boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        if (path.equals("/console/whoami")) {
            return whoami(request, response, callback);
        }
        Asset asset = assets.get(path);
        if (asset == null) {
            return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8",
                    "No such console file. The console is at /\n".getBytes(StandardCharsets.UTF_8),
                    request);
        }
        // Files change only with the controller's version; a reload after an upgrade must get the new ones.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        String accepted = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
        if (accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip")) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
            return send(response, callback, HttpStatus.OK_200, asset.type(), asset.gzipped(), request);
        }
        return send(response, callback, HttpStatus.OK_200, asset.type(), asset.body(), request);
    }

    /**
     * {@code GET /console/whoami}: {@code {"tokens": BOOLEAN, "role": "read"|"admin"}}, the role
     * the caller's credentials give (admin without a token file); {@code "role": null} when tokens
     * are needed and none was sent; 401 for credentials the API would refuse. The console asks
     * for a token on a null role and hides its action buttons from a {@code read} token.
     */
    private boolean whoami(Request request, Response response, Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (gatekeeper.required() && (authorization == null || authorization.isBlank())) {
            // Not a refusal: the page asks whether it needs a token before it has one (no error in the browser's log).
            return json(response, callback, HttpStatus.OK_200,
                    Json.mapper().createObjectNode().put("tokens", true).putNull("role"), request);
        }
        return switch (gatekeeper.check(authorization, new byte[0])) {
            case Access.Denied denied -> {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"opencache\"");
                yield json(response, callback, HttpStatus.UNAUTHORIZED_401,
                        Json.mapper().createObjectNode().put("tokens", true).put("error", denied.reason()), request);
            }
            case Access.Granted granted -> json(response, callback, HttpStatus.OK_200,
                    Json.mapper().createObjectNode().put("tokens", gatekeeper.required())
                            .put("role", granted.role().word()), request);
        };
    }

    private static boolean json(Response response, Callback callback, int status, ObjectNode body, Request request)
            throws IOException {
        return send(response, callback, status, "application/json; charset=utf-8",
                Json.mapper().writeValueAsBytes(body), request);
    }

    private static boolean send(Response response, Callback callback, int status, String type, byte[] body,
            Request request) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory", e);
        }
        return out.toByteArray();
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** The uPlot WebJar's version, from its Maven metadata: the parent POM names it once. */
    private static String webjarVersion() {
        try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is not on the class path (" + WEBJAR_POM + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + WEBJAR_POM, e);
        }
    }
}
