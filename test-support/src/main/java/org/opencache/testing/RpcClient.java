package org.opencache.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.opencache.common.json.Json;

/**
 * A raw JSON-RPC-over-HTTP(S) client for tests of the controller's API: sends bodies exactly as
 * given, with the headers it was made with (e.g. a bearer token) plus those of the call.
 */
public final class RpcClient {
    private final HttpClient http;
    private final URI endpoint;
    private final Map<String, String> headers;

    /** A plain-HTTP client of the endpoint at {@code address}, sending no credentials. */
    public RpcClient(InetSocketAddress address) {
        this(URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/"),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Map.of());
    }

    private RpcClient(URI endpoint, HttpClient http, Map<String, String> headers) {
        this.endpoint = endpoint;
        this.http = http;
        this.headers = headers;
    }

    /** {@return an HTTPS client of the endpoint at {@code address}, with {@code tls} for trust and a client certificate} */
    public static RpcClient https(InetSocketAddress address, SSLContext tls) {
        return new RpcClient(URI.create("https://" + address.getHostString() + ":" + address.getPort() + "/"),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build(), Map.of());
    }

    /** {@return this client, also sending {@code Authorization: Bearer secret}} */
    public RpcClient withBearer(String secret) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put("Authorization", "Bearer " + secret);
        return new RpcClient(endpoint, http, Map.copyOf(more));
    }

    /** POSTs {@code body} to {@code path} with {@code extraHeaders} (name, value, …) and returns the raw response. */
    public HttpResponse<String> post(String path, String body, String... extraHeaders) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            request.setHeader(extraHeaders[i], extraHeaders[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path}. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Calls {@code method} with named {@code params} (a JSON object text) and returns the response object. */
    public JsonNode call(String method, String params) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
        return parse(post("/", body));
    }

    /** {@link #call}, with a failure to get an answer failing the test. */
    public JsonNode answer(String method, String params) {
        try {
            return call(method, params);
        } catch (IOException e) {
            throw new AssertionError(method + " " + params + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + params + ": interrupted", e);
        }
    }

    /** The result of {@code method}, failing the test with the whole response when there is none. */
    public JsonNode result(String method, String params) {
        JsonNode response = answer(method, params);
        if (!response.has("result")) {
            throw new AssertionError(method + " " + params + " -> " + response);
        }
        return response.get("result");
    }

    /** The port of the instance for {@code expr} on the first node {@code nodes} lists (most tests run one). */
    public int instancePort(String expr) {
        return instancePort(result("nodes", null).get(0), expr);
    }

    /** The port of the instance for {@code expr} on node {@code nodeId}, as {@code nodes} reports it. */
    public int instancePort(int nodeId, String expr) {
        return instancePort(result("nodes", "{\"node-id\":" + nodeId + "}").get(0), expr);
    }

    private static int instancePort(JsonNode node, String expr) {
        for (JsonNode instance : node.get("instances")) {
            if (instance.get("expr").asText().equals(expr)) {
                return instance.get("port").asInt();
            }
        }
        throw new AssertionError("no instance " + expr + " in " + node);
    }

    /** The error of {@code method}, failing the test unless it is one with {@code code}. */
    public JsonNode error(String method, String params, int code) {
        JsonNode response = answer(method, params);
        if (response.path("error").path("code").asInt() != code) {
            throw new AssertionError(method + " " + params + " -> " + response + ", expected error " + code);
        }
        return response.get("error");
    }

    /** Waits until the API answers without error (the database connects in the background); fails after 30 s. */
    public void awaitReady() {
        Await.until("controller API ready", Duration.ofSeconds(30), () -> !call("nodes", null).has("error"));
    }

    /** Parses a response body, failing the test on anything but HTTP 200 with JSON. */
    public static JsonNode parse(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }
}
