package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.testing.TestOrigin;

/** Which requests reach which origin, and what they carry on the way. */
class RoutingIT extends ThreePartyTest {
    @Test
    void requestsOutsideThePathPrefixAreRelayedUncached() throws Exception {
        origin.route("/static/a", TestOrigin.ok("inside", "Cache-Control", "max-age=60"));
        origin.route("/staticx", TestOrigin.ok("outside", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start(origin.authority() + "/static");

        cache.get(origin, "/staticx");
        ContentResponse outside = cache.get(origin, "/staticx");
        cache.get(origin, "/static/a");
        ContentResponse inside = cache.get(origin, "/static/a");

        assertEquals("OpenCache; fwd=bypass", cacheStatus(outside));
        assertEquals("outside", outside.getContentAsString());
        assertEquals(2, origin.requests("/staticx"));
        assertEquals("OpenCache; hit", cacheStatus(inside));
        assertEquals(1, origin.requests("/static/a"));
        cache.awaitCounted(4);
        assertEquals(3, cache.counters.misses());
    }

    @Test
    void anyHostIsServedAndCachedAsTheExpressionsOrigin() throws Exception {
        // Clients of a reverse proxy name the instance, redirected clients the origin: same content.
        origin.route("/a", TestOrigin.ok("a", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start(origin.authority());

        ContentResponse other = cache.send("GET", "other.example:" + origin.port(), "/a");
        ContentResponse again = cache.send("GET", origin.authority(), "/a");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(other));
        assertEquals("OpenCache; hit", cacheStatus(again));
        assertEquals(origin.authority(), origin.last("/a").fields().get(HttpHeader.HOST),
                "the origin is asked under its own name");
        assertEquals(1, origin.requests("/a"));
    }

    @Test
    void wildcardSendsEachRequestToTheOriginItsHostFieldNames() throws Exception {
        try (TestOrigin second = new TestOrigin()) {
            origin.route("/x", TestOrigin.ok("from the first", "Cache-Control", "max-age=60"));
            second.route("/x", TestOrigin.ok("from the second", "Cache-Control", "max-age=60"));
            // Both origins are on this machine, which a node's '*' refuses (OriginAccessIT): routing only here.
            cache = CacheFixture.unrestricted("*");

            ContentResponse first = cache.send("GET", "localhost:" + origin.port(), "/x");
            ContentResponse other = cache.send("GET", "127.0.0.1:" + second.port(), "/x");
            ContentResponse firstAgain = cache.send("GET", "localhost:" + origin.port(), "/x");
            ContentResponse otherAgain = cache.send("GET", "127.0.0.1:" + second.port(), "/x");

            assertEquals("from the first", first.getContentAsString());
            assertEquals("from the second", other.getContentAsString());
            assertEquals("from the first", firstAgain.getContentAsString());
            assertEquals("from the second", otherAgain.getContentAsString());
            assertEquals("OpenCache; hit", cacheStatus(firstAgain));
            assertEquals("OpenCache; hit", cacheStatus(otherAgain));
            assertEquals(1, origin.requests("/x"));
            assertEquals(1, second.requests("/x"));
            assertEquals("localhost:" + origin.port(), origin.last("/x").fields().get(HttpHeader.HOST));
        }
    }

    @Test
    void requestWithoutHostIsRefusedWithoutProxyingToItself() throws Exception {
        cache = CacheFixture.start("*");

        // HTTP/1.0 may omit Host, which only a raw socket can show: clients add one.
        String response = cache.raw("GET /x HTTP/1.0\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("Cache-Status: OpenCache; detail=missing-host"), response);
        assertEquals(0, origin.requests());
    }

    @Test
    void wildcardAskedForItsOwnAddressRefusesTheLoopQuickly() throws Exception {
        // Unrestricted, so that the request does come back (as it would through another cache node);
        // a node's own '*' refuses its own address before that (OriginAccessIT).
        cache = CacheFixture.unrestricted("*");

        long start = System.nanoTime();
        ContentResponse response = cache.send("GET", cache.proxyAuthority(), "/x");

        // The second pass refuses; the first relays that answer, adding its own member after it.
        assertEquals(508, response.getStatus());
        assertEquals(List.of("OpenCache; detail=loop", "OpenCache; fwd=miss"),
                response.getHeaders().getValuesList(CacheStatus.FIELD));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
    }

    @Test
    void postIsRelayedWithItsBodyAndInvalidatesTheStoredResponse() throws Exception {
        origin.route("/doc", (request, response, callback) -> TestOrigin.ok(
                request.getMethod().equals("POST") ? "updated" : "document", "Cache-Control", "max-age=60")
                .handle(request, response, callback));
        cache = CacheFixture.start(origin.authority());
        cache.get(origin, "/doc");

        ContentResponse post = cache.request("POST", origin.authority(), "/doc")
                .body(new StringRequestContent("text/plain", "new text", StandardCharsets.UTF_8)).send();
        ContentResponse afterPost = cache.get(origin, "/doc");

        assertEquals("updated", post.getContentAsString());
        assertEquals("OpenCache; fwd=method", cacheStatus(post));
        assertEquals("new text", origin.seen("/doc").stream().filter(s -> s.method().equals("POST"))
                .findFirst().orElseThrow().body());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(afterPost));
        assertEquals(2, origin.seen("/doc").stream().filter(s -> s.method().equals("GET")).count());
    }

    @Test
    void hopByHopFieldsAreNeitherForwardedNorStored() throws Exception {
        origin.route("/h", TestOrigin.ok("h", "Cache-Control", "max-age=60", "Keep-Alive", "timeout=5",
                "Connection", "X-Hop", "X-Hop", "secret", "X-End", "kept"));
        cache = CacheFixture.start(origin.authority());

        ContentResponse miss = cache.get(origin, "/h", "Connection", "Foo", "Foo", "bar", "X-Forwarded-For", "10.1.1.1");
        ContentResponse hit = cache.get(origin, "/h");

        TestOrigin.Seen seen = origin.last("/h");
        assertNull(seen.fields().get("Foo"));
        assertFalse(seen.fields().getValuesList(HttpHeader.CONNECTION).stream().anyMatch(v -> v.contains("Foo")));
        assertTrue(seen.fields().get(HttpHeader.VIA).contains("1.1 opencache"));
        assertTrue(seen.fields().get(HttpHeader.X_FORWARDED_FOR).startsWith("10.1.1.1, "));
        for (ContentResponse response : new ContentResponse[] {miss, hit}) {
            assertNull(response.getHeaders().get(HttpHeader.KEEP_ALIVE));
            assertNull(response.getHeaders().get("X-Hop"));
            assertEquals("kept", response.getHeaders().get("X-End"));
        }
    }

    @Test
    void requestTargetReachesTheOriginExactlyAsSent() throws Exception {
        origin.route("/a%20b", TestOrigin.ok("encoded", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start(origin.authority());

        cache.get(origin, "/a%20b?x=1&y=%2F&x=2");

        assertEquals("/a%20b?x=1&y=%2F&x=2", origin.last("/a%20b").target());
    }
}
