package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.store.ObjectMeta;
import org.opencache.testing.TestOrigin;

/** How long stored responses are used and how they are revalidated, with a clock the tests move. */
class FreshnessIT extends ThreePartyTest {
    @BeforeEach
    void routeRevalidation() {
        // Answers If-None-Match "v1" with a 304 that carries a new X-Version, else the full body.
        origin.route("/r", (request, response, callback) -> {
            if ("\"v1\"".equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                TestOrigin.respond(304, "", "ETag", "\"v1\"", "Cache-Control", "max-age=60", "X-Version", "2")
                        .handle(request, response, callback);
            } else {
                TestOrigin.ok("version one", "ETag", "\"v1\"", "Cache-Control", "max-age=60", "X-Version", "1")
                        .handle(request, response, callback);
            }
        });
    }

    @Test
    void staleObjectIsRevalidatedWithIfNoneMatchAndA304IsServedAsAHitWithFreshenedMeta() throws Exception {
        cache = CacheFixture.start(origin.authority());
        cache.get(origin, "/r");
        cache.clock.advance(Duration.ofSeconds(61));

        ContentResponse revalidated = cache.get(origin, "/r");
        ContentResponse hit = cache.get(origin, "/r");

        assertEquals(200, revalidated.getStatus());
        assertEquals("version one", revalidated.getContentAsString());
        assertEquals("OpenCache; fwd=stale; fwd-status=304", cacheStatus(revalidated));
        assertEquals("2", revalidated.getHeaders().get("X-Version"));
        assertEquals("0", revalidated.getHeaders().get(HttpHeader.AGE));
        assertEquals("\"v1\"", origin.last("/r").fields().get(HttpHeader.IF_NONE_MATCH));
        ObjectMeta meta = cache.store.lookup(cache.key(origin, "/r")).orElseThrow().meta();
        assertEquals("2", meta.header("X-Version"));
        assertEquals(cache.clock.instant(), meta.responseTime());
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(2, origin.requests("/r"));
        cache.awaitCounted(3);
        assertEquals(1, cache.counters.misses());
        assertEquals(2, cache.counters.hits());
        assertEquals(22, cache.counters.hitBytes());
    }

    @Test
    void requestNoCacheRevalidatesAFreshObject() throws Exception {
        cache = CacheFixture.start(origin.authority());
        cache.get(origin, "/r");

        ContentResponse forced = cache.get(origin, "/r", "Cache-Control", "no-cache");
        ContentResponse reload = cache.get(origin, "/r", "Cache-Control", "max-age=0");

        assertEquals("OpenCache; fwd=request; fwd-status=304", cacheStatus(forced));
        assertEquals("OpenCache; fwd=request; fwd-status=304", cacheStatus(reload));
        assertEquals(3, origin.requests("/r"));
    }

    @Test
    void expiresMinusDateIsTheFreshnessLifetime() throws Exception {
        cache = CacheFixture.start(origin.authority());
        Instant date = cache.clock.instant();
        origin.route("/e", TestOrigin.ok("expiring", "Date", httpDate(date), "Expires", httpDate(date.plusSeconds(30))));

        cache.get(origin, "/e");
        cache.clock.advance(Duration.ofSeconds(29));
        ContentResponse fresh = cache.get(origin, "/e");
        cache.clock.advance(Duration.ofSeconds(2));
        ContentResponse stale = cache.get(origin, "/e");

        assertEquals("OpenCache; hit", cacheStatus(fresh));
        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(stale));
        assertEquals(2, origin.requests("/e"));
    }

    @Test
    void responseDatedInThePastIsAsOldAsItsDateSays() throws Exception {
        cache = CacheFixture.start(origin.authority());
        Instant hourAgo = cache.clock.instant().minusSeconds(3600);
        origin.route("/old", TestOrigin.ok("old", "Date", httpDate(hourAgo), "Cache-Control", "max-age=7200"));

        cache.get(origin, "/old");
        ContentResponse hit = cache.get(origin, "/old");

        assertEquals("3600", hit.getHeaders().get(HttpHeader.AGE));
    }

    @Test
    void horizonAppliesOnlyToResponsesWithoutExplicitFreshness() throws Exception {
        origin.route("/implicit", TestOrigin.ok("no freshness stated"));
        origin.route("/explicit", TestOrigin.ok("five seconds", "Cache-Control", "max-age=5"));
        cache = CacheFixture.start(origin.authority(), Duration.ofSeconds(60), 0, Duration.ofSeconds(2));

        cache.get(origin, "/implicit");
        cache.get(origin, "/explicit");
        cache.clock.advance(Duration.ofSeconds(10));
        ContentResponse implicit = cache.get(origin, "/implicit");
        ContentResponse explicit = cache.get(origin, "/explicit");

        assertEquals("OpenCache; hit", cacheStatus(implicit));
        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(explicit));
        assertEquals(1, origin.requests("/implicit"));
        assertEquals(2, origin.requests("/explicit"));
    }

    @Test
    void zeroHorizonStoresAResponseWithoutFreshnessOnlyIfItHasAValidator() throws Exception {
        origin.route("/plain", TestOrigin.ok("nothing to validate with"));
        origin.route("/tagged", TestOrigin.ok("tagged", "ETag", "\"t\""));
        cache = CacheFixture.start(origin.authority());

        ContentResponse plain = cache.get(origin, "/plain");
        ContentResponse tagged = cache.get(origin, "/tagged");
        ContentResponse again = cache.get(origin, "/tagged");

        assertEquals("OpenCache; fwd=miss", cacheStatus(plain));
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(tagged));
        // Stored but never fresh: every use is validated.
        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(again));
        assertEquals("\"t\"", origin.last("/tagged").fields().get(HttpHeader.IF_NONE_MATCH));
        assertNull(origin.last("/plain").fields().get(HttpHeader.IF_NONE_MATCH));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2: without a horizon, a Last-Modified response is fresh for 10 % of its age")
    void lastModifiedHeuristic() throws Exception {
        cache = CacheFixture.start(origin.authority());
        Instant now = cache.clock.instant();
        origin.route("/h", TestOrigin.ok("heuristic", "Date", httpDate(now),
                "Last-Modified", httpDate(now.minusSeconds(1000))));

        cache.get(origin, "/h");
        cache.clock.advance(Duration.ofSeconds(99));
        ContentResponse fresh = cache.get(origin, "/h");
        cache.clock.advance(Duration.ofSeconds(1));
        ContentResponse stale = cache.get(origin, "/h");

        assertEquals("OpenCache; hit", cacheStatus(fresh));
        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(stale));
    }

    @Test
    @DisplayName("RFC 9111 §4.3: the purge keeps a stale object that can still be revalidated")
    void purgeKeepsRevalidatableObjects() throws Exception {
        cache = CacheFixture.start(origin.authority());
        cache.get(origin, "/r");
        cache.clock.advance(Duration.ofHours(1));

        cache.store.purgeExpiredBefore(cache.clock.instant());
        ContentResponse revalidated = cache.get(origin, "/r");

        assertEquals("OpenCache; fwd=stale; fwd-status=304", cacheStatus(revalidated));
        cache.clock.advance(CachePolicy.REVALIDATION_RETENTION.plusSeconds(61));
        cache.store.purgeExpiredBefore(cache.clock.instant());
        assertEquals(Optional.empty(), cache.store.lookup(cache.key(origin, "/r")));
    }

    private static String httpDate(Instant instant) {
        return HeaderFields.formatDate(instant);
    }
}
