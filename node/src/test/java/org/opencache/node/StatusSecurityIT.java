package org.opencache.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;

/**
 * {@code node_admin_host} and {@code status_tokens} (docs/design.md §6): a real node whose
 * status endpoint listens on 127.0.0.2 while its instances use 127.0.0.1, and answers only
 * requests with a bearer token of the token file.
 */
class StatusSecurityIT {
    static final String READ_SECRET = "status-read-0123456789abcdef";
    static final String ADMIN_SECRET = "status-admin-0123456789abcdef";
    @TempDir
    static Path dir;
    static Node node;
    static int port;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"),
                "prometheus read " + READ_SECRET + "\nops admin " + ADMIN_SECRET + "\n");
        int[] ports = Ports.free(3);
        port = ports[0];
        // No controller listens on the link's port: the status endpoint works without one.
        node = Node.start(TestConfigs.node(dir.resolve("cache"), ports[1])
                .set("node_admin_host", "127.0.0.2")
                .set("node_port", port)
                .set("port_range", ports[2] + "," + ports[2])
                .set("api_tokens_file", tokens)
                .set("status_tokens", "true")
                .build());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static HttpResponse<String> get(String host, String path, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusAndMetricsNeedABearerTokenOfAnyRole() throws Exception {
        for (String path : new String[] {"/status", "/metrics"}) {
            HttpResponse<String> none = get("127.0.0.2", path, null);
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"opencache\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, get("127.0.0.2", path, "status-wrong-0123456789abcdef").statusCode(), path);
            assertEquals(200, get("127.0.0.2", path, READ_SECRET).statusCode(), path);
            assertEquals(200, get("127.0.0.2", path, ADMIN_SECRET).statusCode(), path);
        }
        HttpResponse<String> status = get("127.0.0.2", "/status", READ_SECRET);
        assertTrue(status.body().contains("\"uptime\""), status.body());
        assertFalse(get("127.0.0.2", "/status", null).body().contains("\"uptime\""), "nothing of the status leaks");
    }

    @Test
    void theEndpointBindsNodeAdminHostNotNodeHost() throws Exception {
        assertEquals("127.0.0.2", node.statusAddress().getHostString());
        IOException refused = assertThrows(IOException.class, () -> get("127.0.0.1", "/status", READ_SECRET));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                "nothing listens on node_host:node_port: " + refused);
    }
}
