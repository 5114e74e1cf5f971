package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.node.http.rules.PolicyFixtures.date;
import static org.opencache.node.http.rules.PolicyFixtures.response;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.store.ObjectMeta;
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

    @Test
    @DisplayName("RFC 9111 §5.1, §4.2.1: Age is a singleton: a list (members or field lines) makes the response stale")
    void listAgeMeansStale() {
        long oldest = 2_147_483_648L;
        assertEquals(oldest, ageOf("Age", "7200, 0"));
        assertEquals(oldest, ageOf("Age", "0,7200"));
        assertEquals(oldest, ageOf("Age", "0, 0"));
        assertEquals(oldest, ageOf("Age", "7200", "Age", "0"));
        assertEquals(oldest, ageOf("Age", "0", "Age", "0"));
        assertEquals(7200, ageOf("Age", ", 7200"));
        assertEquals(7200, ageOf("Age", "", "age", "7200"));
        assertEquals(30, ageOf("Age", " 30 "));
    }

    @Test
    @DisplayName("RFC 9111 §5.1, §4.2.1, §1.2.2: an invalid Age (first member not delta-seconds) makes the response as old as can be, so stale")
    void invalidAgeMeansStale() {
        long oldest = 2_147_483_648L;
        assertEquals(oldest, ageOf("Age", "abc"));
        assertEquals(oldest, ageOf("Age", "-7200"));
        assertEquals(oldest, ageOf("Age", "7200.0"));
        assertEquals(oldest, ageOf("Age", "7200abc"));
        assertEquals(oldest, ageOf("Age", "7200;foo=bar"));
        assertEquals(oldest, ageOf("Age", "7200 s"));
        assertEquals(oldest, ageOf("Age", "abc, 7200"));
        assertEquals(oldest, ageOf("Age", "\"7200\""));
        assertEquals(0, ageOf());
        assertEquals(2_147_483_648L, ageOf("Age", "99999999999999999999"));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.3: the Age value drives the current age")
    void ageDrivesCurrentAge() {
        assertEquals(Duration.ofSeconds(7200), heuristic.currentAge(response(t0, 200, "Age", "7200")));
        assertEquals(Duration.ZERO, heuristic.currentAge(response(t0, 200, "Age", "0")));
    }

    @Test
    @DisplayName("RFC 9111 §5.3: an Expires that is not an HTTP-date (RFC 9110 §5.6.7) means already expired")
    void strictlyInvalidExpiresIsExpired() {
        for (String expires : new String[] {"Thu, 18 Aug 2050 02:01:18 UTC", "Thu, 18 Aug 50 02:01:18 GMT",
            "Thu 18 Aug 2050 02:01:18 GMT", "Thu, 18  Aug  2050 02:01:18 GMT", "Thu, 18-Aug-2050 02:01:18 GMT",
            "Thu, 18 Aug 2050 02.01.18 GMT", "Thu, 18 Aug 2050 2:01:18 GMT", "Thu, 18 Aug 2050 02:01:18 +0000"}) {
            assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 200, "Date", date(t0), "Expires", expires)),
                    expires);
        }
        assertEquals(Duration.ofSeconds(60), heuristic.lifetime(response(t0, 200, "Date", date(t0), "Expires",
                date(t0.plusSeconds(60)).toUpperCase(Locale.ROOT))));
    }

    @Test
    @DisplayName("RFC 9110 §6.6.1: an invalid Date is replaced by the time of receipt")
    void invalidDateIsTheReceiptTime() {
        ObjectMeta dated = response(t0, 200, "Date", "Sun, 06 Nov 1994 08:49:37 UTC", "Cache-Control", "max-age=60");
        assertEquals(Duration.ZERO, heuristic.currentAge(dated));
        ObjectMeta expires = response(t0, 200, "Date", "Sun, 06 Nov 1994 08:49:37 UTC", "Expires",
                date(t0.plusSeconds(60)));
        assertEquals(Duration.ofSeconds(60), heuristic.lifetime(expires));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2: a Last-Modified that is not an HTTP-date gives no heuristic freshness")
    void invalidLastModifiedGivesNoHeuristic() {
        assertEquals(Duration.ZERO, heuristic.lifetime(response(t0, 200, "Date", date(t0), "Last-Modified",
                "Sun, 06 Nov 1994 08:49:37 UTC")));
    }

    private long ageOf(String... nameValues) {
        return Freshness.ageValue(response(t0, 200, nameValues));
    }
}
