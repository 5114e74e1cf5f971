package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.http.rules.PolicyFixtures.fields;
import static org.opencache.node.http.rules.PolicyFixtures.response;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.CachePolicy.Reuse;
import org.opencache.node.store.ObjectMeta;
import org.opencache.testing.MutableClock;

/** Whether stored responses are reused, and what is stored (RFC 9111 §3, §4.2.4, §5.2; RFC 5861). */
class ReusePolicyTest {
    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final CachePolicy policy = new CachePolicy(clock, Duration.ZERO);

    @Test
    @DisplayName("RFC 9111 §5.2.1.2: max-stale accepts a stale response, with or without a limit")
    void maxStale() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=10");
        clock.advance(Duration.ofSeconds(40));
        assertEquals(Reuse.STALE_ALLOWED, reuse("max-stale", meta));
        assertEquals(Reuse.STALE_ALLOWED, reuse("max-stale=30", meta));
        assertEquals(Reuse.VALIDATE_STALE, reuse("max-stale=29", meta));
        assertEquals(Reuse.VALIDATE_STALE, reuse("", meta));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.1.3: min-fresh refuses a response fresh for less than that")
    void minFresh() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=60");
        clock.advance(Duration.ofSeconds(40));
        assertEquals(Reuse.FRESH, reuse("min-fresh=20", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("min-fresh=21", meta));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.2, §5.2.2.8, §5.2.2.10: must-revalidate, proxy-revalidate, s-maxage defeat max-stale")
    void revalidationDirectivesDefeatMaxStale() {
        for (String directives : new String[] {"max-age=1, must-revalidate", "max-age=1, proxy-revalidate",
                "s-maxage=1", "no-cache"}) {
            ObjectMeta meta = response(t0, 200, "Cache-Control", directives, "ETag", "\"e\"");
            clock.advance(Duration.ofSeconds(5));
            assertEquals(Reuse.VALIDATE_STALE, reuse("max-stale", meta), directives);
            assertFalse(policy.mayServeStaleOnError(CacheControl.parse("stale-if-error=600"), meta), directives);
        }
    }

    @Test
    @DisplayName("RFC 5861 §3: stale-while-revalidate serves a stale response within its window")
    void staleWhileRevalidate() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=10, stale-while-revalidate=30");
        clock.advance(Duration.ofSeconds(40));
        assertEquals(Reuse.STALE_WHILE_REVALIDATE, reuse("", meta));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Reuse.VALIDATE_STALE, reuse("", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("no-cache", meta));
    }

    @Test
    @DisplayName("RFC 5861 §4: stale-if-error from the response or the request bounds stale use on errors")
    void staleIfError() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=10, stale-if-error=30");
        ObjectMeta plain = response(t0, 200, "Cache-Control", "max-age=10");
        clock.advance(Duration.ofSeconds(40));
        assertTrue(policy.mayServeStaleOnError(CacheControl.NONE, meta));
        assertFalse(policy.mayServeStaleOnError(CacheControl.NONE, plain));
        assertTrue(policy.mayServeStaleOnError(CacheControl.parse("stale-if-error=30"), plain));
        assertFalse(policy.mayServeStaleOnError(CacheControl.parse("stale-if-error=29"), plain));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.3: must-understand overrides no-store for understood statuses only")
    void mustUnderstand() {
        assertTrue(policy.mayStore(CacheControl.NONE,
                response(t0, 200, "Cache-Control", "must-understand, no-store, max-age=60")));
        assertFalse(policy.mayStore(CacheControl.NONE,
                response(t0, 299, "Cache-Control", "must-understand, no-store, max-age=60")));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.3, §3: must-understand with a status the cache does not understand: never stored")
    void mustUnderstandUnknownStatus() {
        for (String directives : new String[] {"must-understand, max-age=60", "must-understand, public, max-age=60",
            "must-understand, s-maxage=60", "must-understand, no-store, max-age=60"}) {
            for (int status : new int[] {299, 420, 555, 599}) {
                assertFalse(policy.mayStore(CacheControl.NONE, response(t0, status, "Cache-Control", directives,
                        "ETag", "\"e\"")), directives + " " + status);
            }
            assertTrue(policy.mayStore(CacheControl.NONE, response(t0, 200, "Cache-Control", directives)), directives);
        }
    }

    @Test
    @DisplayName("RFC 8246 §2.1: a fresh immutable response is reused despite a request max-age; no-cache still validates")
    void immutableFresh() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=600, immutable", "ETag", "\"e\"");
        ObjectMeta mutable = response(t0, 200, "Cache-Control", "max-age=600", "ETag", "\"e\"");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Reuse.FRESH, reuse("max-age=0", meta));
        assertEquals(Reuse.FRESH, reuse("max-age=10", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("max-age=0", mutable));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("max-age=10", mutable));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("no-cache", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, policy.reuse(CacheControl.NONE, true, meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("min-fresh=571", meta));
    }

    @Test
    @DisplayName("RFC 8246 §2.1: a stale immutable response is revalidated as if immutable were absent")
    void immutableStale() {
        ObjectMeta meta = response(t0, 200, "Cache-Control", "max-age=10, immutable", "ETag", "\"e\"");
        ObjectMeta swr = response(t0, 200, "Cache-Control", "max-age=10, immutable, stale-while-revalidate=60");
        clock.advance(Duration.ofSeconds(11));
        assertEquals(Reuse.VALIDATE_STALE, reuse("", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("max-age=0", meta));
        assertEquals(Reuse.VALIDATE_REQUEST, reuse("max-age=0", swr));
        assertEquals(Reuse.STALE_WHILE_REVALIDATE, reuse("", swr));
    }

    @Test
    @DisplayName("RFC 9111 §3, §5.2.2.9: public lets an understood status be stored without explicit freshness")
    void publicMakesStorable() {
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofSeconds(60));
        assertTrue(withHorizon.mayStore(CacheControl.NONE, response(t0, 302, "Cache-Control", "public")));
        assertFalse(withHorizon.mayStore(CacheControl.NONE, response(t0, 302)));
        assertFalse(withHorizon.mayStore(CacheControl.NONE, response(t0, 429, "Cache-Control", "public")));
    }

    @Test
    @DisplayName("RFC 9111 §7.3: Set-Cookie responses are stored only when shared on purpose, without the cookie")
    void setCookie() {
        assertFalse(policy.mayStore(CacheControl.NONE,
                response(t0, 200, "Cache-Control", "max-age=60", "Set-Cookie", "id=1")));
        ObjectMeta shared = response(t0, 200, "Cache-Control", "public, max-age=60", "Set-Cookie", "id=1");
        assertTrue(policy.mayStore(CacheControl.NONE, shared));
        assertNull(policy.shared(shared).header("Set-Cookie"));
        assertEquals("public, max-age=60", policy.shared(shared).header("Cache-Control"));
    }

    @Test
    @DisplayName("RFC 9111 §4.3: revalidatable responses outlive their freshness in the store")
    void expiresKeepsRevalidatableResponses() {
        ObjectMeta tagged = policy.describe(200, fields("Cache-Control", "max-age=60", "ETag", "\"a\""), t0, t0, 1);
        ObjectMeta plain = policy.describe(200, fields("Cache-Control", "max-age=60"), t0, t0, 1);
        ObjectMeta staleIfError = policy.describe(200, fields("Cache-Control", "max-age=60, stale-if-error=172800"),
                t0, t0, 1);
        assertEquals(t0.plusSeconds(60).plus(CachePolicy.REVALIDATION_RETENTION), tagged.expires());
        assertEquals(t0.plusSeconds(60), plain.expires());
        assertEquals(t0.plusSeconds(60 + 172800), staleIfError.expires());
    }

    @Test
    @DisplayName("RFC 9111 §3.2: a 304 replaces stored fields, but not Content-Length, and adds no Set-Cookie")
    void freshenedBy304() {
        ObjectMeta stored = new ObjectMeta(200, fields("Content-Length", "11", "ETag", "\"a\"", "X-V", "1",
                ":vary:accept", "text/html"), t0, t0, Instant.MAX, 11);
        clock.advance(Duration.ofSeconds(5));
        ObjectMeta updated = policy.freshened(stored, PolicyFixtures.httpFields("Content-Length", "0", "X-V", "2",
                "Set-Cookie", "id=1", "Cache-Control", "max-age=9"), clock.instant(), clock.instant());

        assertEquals("11", updated.header("Content-Length"));
        assertEquals("2", updated.header("X-V"));
        assertNull(updated.header("Set-Cookie"));
        assertEquals("text/html", updated.header(":vary:accept"));
        assertEquals(clock.instant(), updated.responseTime());
        assertEquals(11, updated.bodyLength());
    }

    private Reuse reuse(String requestDirectives, ObjectMeta meta) {
        return policy.reuse(CacheControl.parse(requestDirectives), false, meta);
    }
}
