package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.testing.TestOrigin;

/** RFC 9213 targeted cache control, three parties on loopback: origin, cache, client. */
class TargetedCacheControlIT extends ThreePartyTest {

    private void startDefault() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    @DisplayName("RFC 9213 §2.1: a long CDN-Cache-Control max-age beats a short Cache-Control one; clients see neither CDN field")
    void longCdnMaxAgeWinsAndIsNotForwarded() throws Exception {
        startDefault();
        origin.route("/a", TestOrigin.ok("edge", "Cache-Control", "max-age=1", "CDN-Cache-Control", "max-age=3600"));

        ContentResponse miss = cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(100));
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals("edge", hit.getContentAsString());
        assertEquals(1, origin.requests("/a"));
        assertEquals("max-age=1", hit.getHeaders().get("Cache-Control"), "Cache-Control is for the caches after us");
        assertNull(miss.getHeaders().get("CDN-Cache-Control"), "RFC 9213 §3: the last CDN cache removes it");
        assertNull(hit.getHeaders().get("CDN-Cache-Control"));
    }

    @Test
    @DisplayName("RFC 9213 §2.1: a short CDN-Cache-Control max-age beats a long Cache-Control one and a future Expires")
    void shortCdnMaxAgeWins() throws Exception {
        startDefault();
        origin.route("/a", TestOrigin.ok("edge", "Cache-Control", "max-age=3600", "CDN-Cache-Control", "max-age=1",
                "Expires", "Thu, 01 Jan 2099 00:00:00 GMT"));

        cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(10));
        ContentResponse second = cache.get(origin, "/a");

        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(second));
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9213 §2.1: CDN-Cache-Control no-store wins over Cache-Control max-age, max-age over no-store")
    void noStoreEitherWay() throws Exception {
        startDefault();
        origin.route("/cdn-no-store", TestOrigin.ok("x", "Cache-Control", "max-age=10000",
                "CDN-Cache-Control", "no-store"));
        origin.route("/cc-no-store", TestOrigin.ok("y", "Cache-Control", "no-store",
                "CDN-Cache-Control", "max-age=10000"));

        cache.get(origin, "/cdn-no-store");
        ContentResponse notStored = cache.get(origin, "/cdn-no-store");
        cache.get(origin, "/cc-no-store");
        ContentResponse stored = cache.get(origin, "/cc-no-store");

        assertEquals("OpenCache; fwd=miss", cacheStatus(notStored));
        assertEquals(2, origin.requests("/cdn-no-store"));
        assertEquals("OpenCache; hit", cacheStatus(stored));
        assertEquals(1, origin.requests("/cc-no-store"));
    }

    @Test
    @DisplayName("RFC 9213 §2.2: an invalid CDN-Cache-Control is ignored and Cache-Control applies")
    void invalidTargetedFieldFallsBackToCacheControl() throws Exception {
        startDefault();
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "no-store", "CDN-Cache-Control", "max-age=10000, &&&&&"));

        cache.get(origin, "/a");
        ContentResponse second = cache.get(origin, "/a");

        assertEquals("OpenCache; fwd=miss", cacheStatus(second));
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9213 §2.1: the first field of the target list wins; one not on it passes through untouched")
    void targetListOrder() throws Exception {
        startDefault();
        origin.route("/a", TestOrigin.ok("x", "CDN-Cache-Control", "max-age=3600", "OpenCache-Cache-Control", "max-age=5",
                "Other-Cache-Control", "max-age=7"));

        cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(4));
        ContentResponse fresh = cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(2));
        ContentResponse stale = cache.get(origin, "/a");

        assertEquals("OpenCache; hit", cacheStatus(fresh));
        assertEquals("max-age=7", fresh.getHeaders().get("Other-Cache-Control"));
        assertNull(fresh.getHeaders().get("OpenCache-Cache-Control"));
        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(stale));
    }

    @Test
    @DisplayName("RFC 9213 §3: with targeted_cache_control_forward the fields reach clients; a configured list replaces the default")
    void forwardedAndConfiguredList() throws Exception {
        cache = CacheFixture.withRules(origin.authority(),
                ResponseRulesConfig.defaults().withTargeted(List.of("Edge-Cache-Control"), true));
        origin.route("/a", TestOrigin.ok("x", "Edge-Cache-Control", "max-age=60", "CDN-Cache-Control", "no-store"));

        ContentResponse miss = cache.get(origin, "/a");
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals("max-age=60", miss.getHeaders().get("Edge-Cache-Control"));
        assertEquals("max-age=60", hit.getHeaders().get("Edge-Cache-Control"));
        assertEquals("no-store", hit.getHeaders().get("CDN-Cache-Control"), "not on this list: passed through");
    }
}
