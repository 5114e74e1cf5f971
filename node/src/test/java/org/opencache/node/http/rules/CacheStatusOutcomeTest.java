package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opencache.node.stats.CacheOutcome;
import org.opencache.node.store.StoreRefusal;

/** Every {@code Cache-Status} member this cache sends (RFC 9211 §2) maps to one metrics outcome. */
class CacheStatusOutcomeTest {

    @Test
    void hitsAndStaleHitsComeFromTheStore() {
        assertEquals(CacheOutcome.HIT, CacheStatus.hit().outcome());
        // RFC 5861 §3 and §4: stale content served in place of a fresh one.
        assertEquals(CacheOutcome.STALE, CacheStatus.hit().detail("stale-while-revalidate").outcome());
        assertEquals(CacheOutcome.STALE, CacheStatus.forwarded("stale").fwdStatus(503)
                .detail("stale-if-error").outcome());
        assertTrue(CacheOutcome.HIT.fromStore());
        assertTrue(CacheOutcome.STALE.fromStore());
        assertFalse(CacheOutcome.REVALIDATED.fromStore());
    }

    @Test
    void forwardedRequestsAreMissesRevalidationsOrPasses() {
        assertEquals(CacheOutcome.MISS, CacheStatus.forwarded("miss").stored().outcome());
        assertEquals(CacheOutcome.MISS, CacheStatus.forwarded("uri-miss").notStored(StoreRefusal.TOO_LARGE).outcome());
        assertEquals(CacheOutcome.MISS, CacheStatus.forwarded("miss").collapsed().outcome());
        // RFC 9211 §2.3: fwd=stale with the origin's 200 is a refetch, with its 304 a revalidation.
        assertEquals(CacheOutcome.MISS, CacheStatus.forwarded("stale").fwdStatus(200).outcome());
        assertEquals(CacheOutcome.REVALIDATED, CacheStatus.forwarded("stale").fwdStatus(304).outcome());
        assertEquals(CacheOutcome.PASS, CacheStatus.forwarded("bypass").outcome());
        assertEquals(CacheOutcome.PASS, CacheStatus.forwarded("method").outcome());
    }

    @Test
    void theCachesOwnAnswersAreRefusals() {
        assertEquals(CacheOutcome.REFUSED, CacheStatus.refused("only-if-cached").outcome());
        assertEquals(CacheOutcome.REFUSED, CacheStatus.refused("loop").outcome());
        assertEquals("origin_error", CacheOutcome.ORIGIN_ERROR.label());
    }
}
