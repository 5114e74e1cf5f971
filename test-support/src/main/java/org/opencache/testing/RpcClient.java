package org.opencache.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.opencache.common.json.Json;

/** A raw JSON-RPC-over-HTTP client for tests of the controller's API: sends bodies exactly as given. */
public final class RpcClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    public RpcClient(InetSocketAddress address) {
        this.endpoint = URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** POSTs {@code body} to {@code path} and returns the raw response. */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path}. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Calls {@code method} with named {@code params} (a JSON object text) and returns the response object. */
    public JsonNode call(String method, String params) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
        return parse(post("/", body));
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
