package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Response directives beyond RFC 9111's core: {@code immutable} (RFC 8246) and {@code must-understand}. */
class ExtensionDirectivesIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/immutable", TestOrigin.ok("forever", "Cache-Control", "max-age=600, immutable", "ETag",
                "\"i\""));
        origin.route("/mutable", TestOrigin.ok("for now", "Cache-Control", "max-age=600", "ETag", "\"m\""));
    }

    @Test
    @DisplayName("RFC 8246 §2.1: a fresh immutable response answers a reload (request max-age=0) without revalidation")
    void freshImmutableSkipsReloadRevalidation() throws Exception {
        cache.get(origin, "/immutable");
        cache.get(origin, "/mutable");
        cache.clock.advance(Duration.ofSeconds(30));

        ContentResponse reload = cache.get(origin, "/immutable", "Cache-Control", "max-age=0");
        ContentResponse younger = cache.get(origin, "/immutable", "Cache-Control", "max-age=10");
        ContentResponse mutable = cache.get(origin, "/mutable", "Cache-Control", "max-age=0");

        assertEquals("OpenCache; hit", cacheStatus(reload));
        assertEquals("forever", reload.getContentAsString());
        assertEquals("30", reload.getHeaders().get(HttpHeader.AGE));
        assertEquals("OpenCache; hit", cacheStatus(younger));
        assertEquals(1, origin.requests("/immutable"));
        assertEquals(2, origin.requests("/mutable"), "without immutable, a reload revalidates");
    }

    @Test
    @DisplayName("RFC 8246 §2.1: a client's no-cache (a force reload) still validates a fresh immutable response")
    void noCacheStillValidates() throws Exception {
        cache.get(origin, "/immutable");

        cache.get(origin, "/immutable", "Cache-Control", "no-cache");
        cache.get(origin, "/immutable", "Pragma", "no-cache");

        assertEquals(3, origin.requests("/immutable"));
        assertEquals("\"i\"", origin.last("/immutable").fields().get(HttpHeader.IF_NONE_MATCH));
    }

    @Test
    @DisplayName("RFC 8246 §2.1: a stale immutable response is revalidated as if immutable were absent")
    void staleImmutableIsRevalidated() throws Exception {
        cache.get(origin, "/immutable");
        cache.clock.advance(Duration.ofSeconds(601));

        ContentResponse revalidated = cache.get(origin, "/immutable");

        assertEquals(2, origin.requests("/immutable"));
        assertEquals("\"i\"", origin.last("/immutable").fields().get(HttpHeader.IF_NONE_MATCH));
        assertEquals("forever", revalidated.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.3: must-understand with a status the cache does not understand: never stored, even without no-store")
    void mustUnderstandUnknownStatus() throws Exception {
        origin.route("/u", TestOrigin.respond(555, "odd", "Cache-Control", "must-understand, public, max-age=60",
                "ETag", "\"u\""));
        origin.route("/n", TestOrigin.respond(555, "odd", "Cache-Control", "must-understand, no-store, max-age=60"));

        cache.get(origin, "/u");
        ContentResponse again = cache.get(origin, "/u");
        cache.get(origin, "/n");
        cache.get(origin, "/n");

        assertEquals(555, again.getStatus());
        assertEquals("OpenCache; fwd=miss", cacheStatus(again));
        assertEquals(2, origin.requests("/u"));
        assertEquals(2, origin.requests("/n"));
        assertNull(cache.store.lookup(cache.key(origin, "/u")).orElse(null));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.3: must-understand with an understood status overrides no-store")
    void mustUnderstandKnownStatus() throws Exception {
        origin.route("/k", TestOrigin.ok("known", "Cache-Control", "must-understand, no-store, max-age=60"));

        cache.get(origin, "/k");
        ContentResponse hit = cache.get(origin, "/k");

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(1, origin.requests("/k"));
    }
}
