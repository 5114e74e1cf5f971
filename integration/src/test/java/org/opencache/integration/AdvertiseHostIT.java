package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * Issue 18 item 5: a node bound to every interface ({@code node_host = 0.0.0.0}) registers with
 * its {@code node_advertise_host}, and its instances answer there (and on any other address of
 * the machine).
 */
@Timeout(60)
class AdvertiseHostIT {
    private static final String PORT_RANGE = "20461,20470";

    @TempDir
    Path dir;

    @Test
    void aNodeOnTheWildcardAddressRegistersWithItsAdvertisedHostAndServesThere() throws Exception {
        ControllerConfig controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
        try (TestOrigin origin = new TestOrigin().routeAll(TestOrigin.describe());
             Controller controller = Controller.start(controllerConfig)) {
            RpcClient rpc = new RpcClient(controller.apiAddress());
            rpc.awaitReady();
            try (Node node = Node.start(TestConfigs.node(dir.resolve("cache"), controllerConfig.notificationPort())
                    .set("node_host", "0.0.0.0")
                    .set("node_advertise_host", "127.0.0.1")
                    .set("node_admin_host", "127.0.0.1") // the status endpoint stays on loopback, without tokens
                    .set("node_port", Ports.free())
                    .set("port_range", PORT_RANGE)
                    .set("keep_alive_interval", "1s")
                    .build())) {
                Await.until("node registered", Duration.ofSeconds(30), () -> node.controllerConnected()
                        && rpc.answer("nodes", null).path("result").size() == 1);
                JsonNode registered = rpc.result("nodes", null).get(0);
                assertEquals("127.0.0.1", registered.get("host").asText(), "the advertised host, not 0.0.0.0");

                String expr = "127.0.0.1:" + origin.port();
                assertEquals(true, rpc.result("start", "{\"expr\":\"" + expr + "\"}").asBoolean());
                int port = rpc.result("nodes", null).get(0).get("instances").get(0).get("port").asInt();

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                HttpResponse<String> advertised = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/a")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, advertised.statusCode());
                assertEquals(TestOrigin.describe("/a", expr), advertised.body());
                // Another address of the machine: bound to every interface, the instance answers there too.
                HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.2:" + port + "/a")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, other.statusCode());
                assertTrue(other.headers().firstValue("Cache-Status").orElse("").contains("hit"),
                        other.headers().toString());
            }
        }
    }
}
