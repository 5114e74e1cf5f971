package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Qualified {@code no-cache} and {@code private}: three parties on loopback (origin, cache, client). */
class QualifiedDirectivesIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.4: no-cache=\"a, b\" reuses the response without validation, without those fields")
    void qualifiedNoCacheReusesWithoutTheNamedFields() throws Exception {
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "max-age=3600, no-cache=\"a, B\"",
                "a", "1", "b", "2", "c", "3"));

        ContentResponse miss = cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(10));
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals("1", miss.getHeaders().get("a"), "the response itself is the origin's own");
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(1, origin.requests("/a"));
        assertNull(hit.getHeaders().get("a"));
        assertNull(hit.getHeaders().get("b"));
        assertEquals("3", hit.getHeaders().get("c"));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.7: private=\"field\" lets a shared cache store the response without that field")
    void qualifiedPrivateStoresWithoutTheNamedField() throws Exception {
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "private=\"X-User\", max-age=60",
                "X-User", "bob", "X-Other", "kept"));

        ContentResponse miss = cache.get(origin, "/a");
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals("bob", miss.getHeaders().get("X-User"));
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertNull(hit.getHeaders().get("X-User"));
        assertEquals("kept", hit.getHeaders().get("X-Other"));
        assertEquals(1, origin.requests("/a"));
    }
}
