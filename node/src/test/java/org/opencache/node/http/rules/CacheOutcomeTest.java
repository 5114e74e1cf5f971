package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opencache.node.store.StoreRefusal;

/** Every {@code Cache-Status} member this cache sends (RFC 9211 §2) maps to one metrics outcome. */
class CacheOutcomeTest {

    @Test
    void hitsAndStaleHitsComeFromTheStore() {
        assertEquals(CacheOutcome.HIT, CacheOutcome.of(CacheStatus.hit()));
        // RFC 5861 §3 and §4: stale content served in place of a fresh one.
        assertEquals(CacheOutcome.STALE, CacheOutcome.of(CacheStatus.hit().detail("stale-while-revalidate")));
        assertEquals(CacheOutcome.STALE, CacheOutcome.of(CacheStatus.forwarded("stale").fwdStatus(503)
                .detail("stale-if-error")));
        assertTrue(CacheOutcome.HIT.fromStore());
        assertTrue(CacheOutcome.STALE.fromStore());
        assertFalse(CacheOutcome.REVALIDATED.fromStore());
    }

    @Test
    void forwardedRequestsAreMissesRevalidationsOrPasses() {
        assertEquals(CacheOutcome.MISS, CacheOutcome.of(CacheStatus.forwarded("miss").stored()));
        assertEquals(CacheOutcome.MISS, CacheOutcome.of(CacheStatus.forwarded("uri-miss").notStored(StoreRefusal.TOO_LARGE)));
        assertEquals(CacheOutcome.MISS, CacheOutcome.of(CacheStatus.forwarded("miss").collapsed()));
        // RFC 9211 §2.3: fwd=stale with the origin's 200 is a refetch, with its 304 a revalidation.
        assertEquals(CacheOutcome.MISS, CacheOutcome.of(CacheStatus.forwarded("stale").fwdStatus(200)));
        assertEquals(CacheOutcome.REVALIDATED, CacheOutcome.of(CacheStatus.forwarded("stale").fwdStatus(304)));
        assertEquals(CacheOutcome.PASS, CacheOutcome.of(CacheStatus.forwarded("bypass")));
        assertEquals(CacheOutcome.PASS, CacheOutcome.of(CacheStatus.forwarded("method")));
    }

    @Test
    void theCachesOwnAnswersAreRefusals() {
        assertEquals(CacheOutcome.REFUSED, CacheOutcome.of(CacheStatus.refused("only-if-cached")));
        assertEquals(CacheOutcome.REFUSED, CacheOutcome.of(CacheStatus.refused("loop")));
        assertEquals("origin_error", CacheOutcome.ORIGIN_ERROR.label());
    }
}
