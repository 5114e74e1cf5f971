package org.opencache.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.auth.ApiTokens;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;

/**
 * The web console's HTTP side (docs/design.md §4 "Console") on a real controller: the page and
 * its files at {@code GET /} and {@code /console/}, {@code GET /console/whoami} with and without
 * tokens, and {@code console = false}. What the page does in a browser: ConsoleIT.
 */
class ConsoleEndpointIT {
    private static final String ADMIN = "admin-secret-0123456789abcdef";
    private static final String READ = "read-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theConsoleAndItsFilesAreServedAndPostStaysJsonRpc() throws Exception {
        try (Controller controller = Controller.start(TestConfigs.controller(dir).build())) {
            RpcClient client = new RpcClient(controller.apiAddress());
            client.awaitReady();
            HttpResponse<String> page = client.get("/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.body().contains("/console/console.js"), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
            for (String file : List.of("console.js", "uPlot.iife.min.js")) {
                HttpResponse<String> script = client.get("/console/" + file);
                assertEquals(200, script.statusCode(), file);
                assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(""));
            }
            for (String file : List.of("console.css", "uPlot.min.css")) {
                assertEquals("text/css; charset=utf-8",
                        client.get("/console/" + file).headers().firstValue("Content-Type").orElse(""), file);
            }
            assertEquals(404, client.get("/console/").statusCode());
            assertEquals(404, client.get("/console/index.html.bak").statusCode());
            HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + controller.apiAddress().getPort() + "/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            // A browser accepts gzip (RFC 9110 §12.5.3): the files go compressed, and say they vary with it.
            HttpResponse<byte[]> zipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + controller.apiAddress().getPort() + "/console/uPlot.iife.min.js"))
                    .header("Accept-Encoding", "gzip, deflate, br").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
            assertEquals("Accept-Encoding", zipped.headers().firstValue("Vary").orElse(""));
            String plain = client.get("/console/uPlot.iife.min.js").body();
            try (var in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
                assertEquals(plain, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertTrue(zipped.body().length < plain.length() / 2, zipped.body().length + " of " + plain.length());
            // Without a token file every caller acts as admin, as the API grants.
            assertEquals("{\"tokens\":false,\"role\":\"admin\"}", client.get("/console/whoami").body());
            assertEquals(0, client.result("stat", null).get("start").asInt(), "POST / is still JSON-RPC");
        }
    }

    @Test
    void whoamiNamesTheTokensRoleAndRefusesWrongCredentials() throws Exception {
        ApiTokens tokens = ApiTokens.parse(List.of("ops admin " + ADMIN, "viewer read " + READ));
        try (Controller controller = Controller.start(TestConfigs.controller(dir).tokens(tokens).build())) {
            RpcClient anonymous = new RpcClient(controller.apiAddress());
            anonymous.withBearer(ADMIN).awaitReady();
            // The page needs no token: it holds no data.
            assertEquals(200, anonymous.get("/").statusCode());
            assertEquals("{\"tokens\":true,\"role\":null}", anonymous.get("/console/whoami").body());
            assertEquals("{\"tokens\":true,\"role\":\"read\"}", anonymous.withBearer(READ).get("/console/whoami").body());
            assertEquals("{\"tokens\":true,\"role\":\"admin\"}", anonymous.withBearer(ADMIN).get("/console/whoami").body());
            HttpResponse<String> wrong = anonymous.withBearer("wrong-secret-0123456789abcdef").get("/console/whoami");
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.body().contains("no token has this bearer secret"), wrong.body());
            assertEquals("Bearer realm=\"opencache\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void withConsoleOffGetOfRootIsA405AsBefore() throws Exception {
        try (Controller controller = Controller.start(TestConfigs.controller(dir).console(false).build())) {
            RpcClient client = new RpcClient(controller.apiAddress());
            client.awaitReady();
            HttpResponse<String> response = client.get("/");
            assertEquals(405, response.statusCode());
            assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
            assertEquals(404, client.get("/console/console.js").statusCode());
        }
    }
}
