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

/**
 * {@code Surrogate-Control} and {@code Surrogate-Capability} (W3C Edge Architecture Specification
 * 1.0), three parties on loopback: origin, cache, client.
 */
class SurrogateControlIT extends ThreePartyTest {

    private void startDefault() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Capability: the origin is told the cache's device token; Surrogate-Control is consumed")
    void capabilityAnnouncedAndControlConsumed() throws Exception {
        startDefault();
        origin.route("/a", TestOrigin.ok("edge", "Cache-Control", "max-age=1", "Surrogate-Control", "max-age=3600"));

        ContentResponse miss = cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(100));
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals("opencache=\"Surrogate/1.0\"", origin.last("/a").fields().get("Surrogate-Capability"));
        assertEquals("OpenCache; hit", cacheStatus(hit), "a long Surrogate-Control max-age beats a short Cache-Control one");
        assertEquals(1, origin.requests("/a"));
        assertEquals("max-age=1", hit.getHeaders().get("Cache-Control"), "Cache-Control is for the caches after us");
        assertNull(miss.getHeaders().get("Surrogate-Control"));
        assertNull(hit.getHeaders().get("Surrogate-Control"));
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: a short max-age beats a long Cache-Control one; an Age beyond it is stale")
    void shortSurrogateMaxAgeAndAge() throws Exception {
        startDefault();
        origin.route("/short", TestOrigin.ok("x", "Cache-Control", "max-age=3600", "Surrogate-Control", "max-age=1"));
        origin.route("/aged", TestOrigin.ok("y", "Surrogate-Control", "max-age=3600", "Age", "7200"));

        cache.get(origin, "/short");
        cache.clock.advance(Duration.ofSeconds(10));
        ContentResponse stale = cache.get(origin, "/short");
        cache.get(origin, "/aged");
        ContentResponse aged = cache.get(origin, "/aged");

        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(stale));
        assertEquals(2, origin.requests("/short"));
        assertEquals(2, origin.requests("/aged"), "RFC 9111 §4.2.3 ages apply to a Surrogate-Control lifetime too");
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: no-store beats Cache-Control max-age; max-age targeted at us beats no-store; at another device it is ignored")
    void noStoreAndTargeting() throws Exception {
        startDefault();
        origin.route("/sc-no-store", TestOrigin.ok("x", "Cache-Control", "max-age=10000",
                "Surrogate-Control", "no-store"));
        origin.route("/cc-no-store", TestOrigin.ok("y", "Cache-Control", "no-store",
                "Surrogate-Control", "max-age=10000;opencache"));
        origin.route("/elsewhere", TestOrigin.ok("z", "Cache-Control", "no-store",
                "Surrogate-Control", "max-age=10000;not-for-you"));

        for (String path : List.of("/sc-no-store", "/cc-no-store", "/elsewhere")) {
            cache.get(origin, path);
        }
        ContentResponse notStored = cache.get(origin, "/sc-no-store");
        ContentResponse stored = cache.get(origin, "/cc-no-store");
        ContentResponse elsewhere = cache.get(origin, "/elsewhere");

        assertEquals("OpenCache; fwd=miss", cacheStatus(notStored));
        assertEquals(2, origin.requests("/sc-no-store"));
        assertEquals("OpenCache; hit", cacheStatus(stored));
        assertEquals(1, origin.requests("/cc-no-store"));
        assertEquals("OpenCache; fwd=miss", cacheStatus(elsewhere));
        assertEquals(2, origin.requests("/elsewhere"));
    }

    @Test
    @DisplayName("Edge Architecture: without Surrogate-Control on targeted_cache_control the field passes through and no capability is sent")
    void switchedOff() throws Exception {
        cache = CacheFixture.withRules(origin.authority(),
                ResponseRulesConfig.defaults().withTargeted(List.of("CDN-Cache-Control"), false));
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "no-store", "Surrogate-Control", "max-age=3600"));

        cache.get(origin, "/a");
        ContentResponse second = cache.get(origin, "/a");

        assertEquals("OpenCache; fwd=miss", cacheStatus(second));
        assertEquals("max-age=3600", second.getHeaders().get("Surrogate-Control"));
        assertNull(origin.last("/a").fields().get("Surrogate-Capability"));
    }
}
