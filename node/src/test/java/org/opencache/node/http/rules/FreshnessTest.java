package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.node.http.rules.PolicyFixtures.date;
import static org.opencache.node.http.rules.PolicyFixtures.response;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.MutableClock;

class FreshnessTest {
    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final Freshness heuristic = new Freshness(clock, Duration.ZERO);

    @Test
    @DisplayName("RFC 9111 §4.2.2: heuristic lifetime is 10 % of the time since Last-Modified")
    void heuristicIsTenPercentOfLastModifiedAge() {
        assertEquals(Duration.ofSeconds(360), heuristic.lifetime(
                response(t0, 200, "Date", date(t0), "Last-Modified", date(t0.minusSeconds(3600)))));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2: the heuristic lifetime is capped at a day")
    void heuristicIsCapped() {
        assertEquals(Freshness.HEURISTIC_CAP, heuristic.lifetime(
                response(t0, 200, "Last-Modified", date(t0.minus(Duration.ofDays(365))))));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2: only heuristically cacheable statuses get a heuristic lifetime")
    void heuristicOnlyForHeuristicallyCacheableStatuses() {
        String lastModified = date(t0.minusSeconds(3600));
        assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 302, "Last-Modified", lastModified)));
        assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 500, "Last-Modified", lastModified)));
        assertEquals(Duration.ofSeconds(360), heuristic.lifetime(response(t0, 404, "Last-Modified", lastModified)));
        assertEquals(Duration.ZERO, new Freshness(clock, Duration.ofHours(1)).lifetime(response(t0, 307)));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2: the operator's horizon replaces the Last-Modified heuristic")
    void horizonWinsOverLastModified() {
        Freshness withHorizon = new Freshness(clock, Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), withHorizon.lifetime(
                response(t0, 200, "Last-Modified", date(t0.minusSeconds(3600)))));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.1: explicit freshness wins over the heuristic; no-cache means zero")
    void explicitWinsOverHeuristic() {
        String lastModified = date(t0.minusSeconds(3600));
        assertEquals(Duration.ofSeconds(5), heuristic.lifetime(
                response(t0, 200, "Cache-Control", "max-age=5", "Last-Modified", lastModified)));
        assertEquals(Duration.ZERO, heuristic.lifetime(
                response(t0, 200, "Cache-Control", "no-cache", "Last-Modified", lastModified)));
        assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 200, "Expires", "yesterday", "Last-Modified",
                lastModified)));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.1: a Last-Modified in the future gives no heuristic freshness")
    void futureLastModifiedGivesNothing() {
        assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 200, "Last-Modified", date(t0.plusSeconds(60)))));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.9: public makes a response heuristically cacheable whatever its status")
    void publicIsHeuristicallyCacheable() {
        String lastModified = date(t0.minusSeconds(3600));
        assertEquals(Duration.ofSeconds(360), heuristic.lifetime(
                response(t0, 302, "Cache-Control", "public", "Last-Modified", lastModified)));
        assertEquals(Duration.ofSeconds(30), new Freshness(clock, Duration.ofSeconds(30)).lifetime(
                response(t0, 307, "Cache-Control", "public")));
    }
}
