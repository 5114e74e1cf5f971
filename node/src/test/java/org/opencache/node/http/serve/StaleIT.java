package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

/** When stale responses may be used: request directives, must-revalidate, RFC 5861. */
class StaleIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    @DisplayName("RFC 9111 §5.2.1.2: max-stale takes a stale response without asking the origin")
    void maxStale() throws Exception {
        storeThenAge("max-age=10", 20);

        ContentResponse stale = cache.get(origin, "/s", "Cache-Control", "max-stale=15");

        assertEquals("OpenCache; hit", cacheStatus(stale));
        assertEquals("20", stale.getHeaders().get("Age"));
        assertEquals(1, origin.requests("/s"));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.2: must-revalidate overrides max-stale")
    void mustRevalidate() throws Exception {
        storeThenAge("max-age=10, must-revalidate", 20);

        ContentResponse validated = cache.get(origin, "/s", "Cache-Control", "max-stale");

        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(validated));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.1.7: only-if-cached gets a stored response or a 504")
    void onlyIfCached() throws Exception {
        origin.route("/s", TestOrigin.ok("cached", "Cache-Control", "max-age=10"));

        ContentResponse nothing = cache.get(origin, "/s", "Cache-Control", "only-if-cached");
        cache.get(origin, "/s");
        ContentResponse stored = cache.get(origin, "/s", "Cache-Control", "only-if-cached");
        cache.clock.advance(Duration.ofSeconds(20));
        ContentResponse stale = cache.get(origin, "/s", "Cache-Control", "only-if-cached");
        ContentResponse staleAllowed = cache.get(origin, "/s", "Cache-Control", "only-if-cached, max-stale");

        assertEquals(504, nothing.getStatus());
        assertEquals("OpenCache; detail=only-if-cached", cacheStatus(nothing));
        assertEquals(200, stored.getStatus());
        assertEquals(504, stale.getStatus());
        assertEquals(200, staleAllowed.getStatus());
        assertEquals(1, origin.requests("/s"));
    }

    @Test
    @DisplayName("RFC 5861 §3: stale-while-revalidate serves stale and revalidates in the background")
    void staleWhileRevalidate() throws Exception {
        origin.route("/s", (request, response, callback) -> TestOrigin.ok("version " + origin.requests("/s"),
                "Cache-Control", "max-age=10, stale-while-revalidate=60").handle(request, response, callback));
        cache.get(origin, "/s");
        cache.clock.advance(Duration.ofSeconds(30));

        ContentResponse stale = cache.get(origin, "/s");

        assertEquals("version 1", stale.getContentAsString());
        assertEquals("OpenCache; hit; detail=stale-while-revalidate", cacheStatus(stale));
        Await.until("the background revalidation stored", Duration.ofSeconds(5), () -> cache.store.commits() >= 2);
        ContentResponse fresh = cache.get(origin, "/s");
        assertEquals("version 2", fresh.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(fresh));
    }

    @Test
    @DisplayName("RFC 5861 §4: stale-if-error serves stale when the origin answers 5xx")
    void staleIfErrorOnServerError() throws Exception {
        storeThenAge("max-age=10, stale-if-error=60", 30);
        origin.route("/s", TestOrigin.respond(503, "down"));

        ContentResponse rescued = cache.get(origin, "/s");
        cache.clock.advance(Duration.ofSeconds(60));
        ContentResponse tooOld = cache.get(origin, "/s");

        assertEquals(200, rescued.getStatus());
        assertEquals("old", rescued.getContentAsString());
        assertEquals("OpenCache; fwd=stale; fwd-status=503; detail=stale-if-error", cacheStatus(rescued));
        assertEquals(503, tooOld.getStatus());
    }

    @Test
    @DisplayName("RFC 5861 §4: a request's stale-if-error covers an unreachable origin")
    void staleIfErrorOnFailure() throws Exception {
        storeThenAge("max-age=10", 30);
        String authority = origin.authority();
        origin.close();

        ContentResponse rescued = cache.send("GET", authority, "/s", "Cache-Control", "stale-if-error=60");
        ContentResponse failed = cache.send("GET", authority, "/s");

        assertEquals(200, rescued.getStatus());
        assertEquals("OpenCache; fwd=stale; detail=stale-if-error", cacheStatus(rescued));
        assertEquals(502, failed.getStatus());
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.2: a must-revalidate response that cannot be revalidated is a 504")
    void mustRevalidateUnreachableIs504() throws Exception {
        storeThenAge("max-age=10, must-revalidate, stale-if-error=600", 30);
        String authority = origin.authority();
        origin.close();

        ContentResponse failed = cache.send("GET", authority, "/s", "Cache-Control", "stale-if-error=600");

        assertEquals(504, failed.getStatus());
        assertEquals("OpenCache; fwd=stale; detail=revalidation-failed", cacheStatus(failed));
    }

    // Stores /s with the given Cache-Control, then lets that many seconds pass.
    private void storeThenAge(String cacheControl, long seconds) throws Exception {
        origin.route("/s", TestOrigin.ok("old", "Cache-Control", cacheControl));
        cache.get(origin, "/s");
        cache.clock.advance(Duration.ofSeconds(seconds));
    }
}
