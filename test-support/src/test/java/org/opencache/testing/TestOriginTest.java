package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestOriginTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestOrigin origin;

    TestOriginTest() throws Exception {
        origin = new TestOrigin();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private HttpResponse<String> get(String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + origin.authority() + target))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersEachPathWithItsRouteAndRecordsWhatReachedIt() throws Exception {
        origin.route("/a", TestOrigin.ok("alpha", "Cache-Control", "max-age=60"));

        HttpResponse<String> response = get("/a?x=1");

        assertEquals(200, response.statusCode());
        assertEquals("alpha", response.body());
        assertEquals("max-age=60", response.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(false, response.headers().firstValue("Date").isPresent(), "no Date unless a route sends one");
        assertEquals(1, origin.requests("/a"));
        assertEquals("/a?x=1", origin.last("/a").target());
        assertEquals("GET", origin.last("/a").method());
    }

    @Test
    void aPathWithoutARouteIs404UnlessThereIsAFallback() throws Exception {
        assertEquals(404, get("/nothing").statusCode());
        origin.routeAll(TestOrigin.describe());
        HttpResponse<String> described = get("/k");
        assertEquals(TestOrigin.describe("/k", origin.authority()), described.body());
        assertEquals(2, origin.requests());
    }

    @Test
    void describePadsTheBodyToTheAskedSize() throws Exception {
        origin.routeAll(TestOrigin.describe());
        assertEquals(1000, get("/big?body-size=1000").body().length());
    }

    @Test
    void respondSendsTheStatus() throws Exception {
        origin.route("/down", TestOrigin.respond(503, "down"));
        assertEquals(503, get("/down").statusCode());
    }
}
