package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.node.store.ObjectMeta;
import org.opencache.testing.MutableClock;

class CachePolicyTest {
    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final CachePolicy noHorizon = new CachePolicy(clock, Duration.ZERO);

    @Test
    void sMaxAgeWinsOverMaxAgeWhichWinsOverExpires() {
        String expires = date(t0.plusSeconds(300));
        assertEquals(Duration.ofSeconds(10), noHorizon.freshnessLifetime(
                response(200, "Cache-Control", "max-age=20, s-maxage=10", "Expires", expires)));
        assertEquals(Duration.ofSeconds(20), noHorizon.freshnessLifetime(
                response(200, "Cache-Control", "max-age=20", "Expires", expires)));
        assertEquals(Duration.ofSeconds(300), noHorizon.freshnessLifetime(response(200, "Expires", expires)));
    }

    @Test
    void expiresIsCountedFromDateNotFromReceipt() {
        ObjectMeta meta = response(200, "Date", date(t0.minusSeconds(100)), "Expires", date(t0.minusSeconds(40)));
        assertEquals(Duration.ofSeconds(60), noHorizon.freshnessLifetime(meta));
    }

    @Test
    void invalidExpiresMeansAlreadyExpired() {
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofHours(1));
        assertEquals(Duration.ZERO, withHorizon.freshnessLifetime(response(200, "Expires", "0")));
    }

    @Test
    void horizonIsTheLifetimeOnlyWithoutExplicitFreshness() {
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(60), withHorizon.freshnessLifetime(response(200)));
        assertEquals(Duration.ofSeconds(5), withHorizon.freshnessLifetime(response(200, "Cache-Control", "max-age=5")));
        assertEquals(Duration.ZERO, withHorizon.freshnessLifetime(response(200, "Cache-Control", "max-age=0")));
    }

    @Test
    void noCacheResponseIsNeverFreshButStorableWithAValidator() {
        ObjectMeta meta = response(200, "Cache-Control", "no-cache, max-age=600", "ETag", "\"x\"");
        assertEquals(Duration.ZERO, noHorizon.freshnessLifetime(meta));
        assertTrue(noHorizon.mayStore(CacheControl.NONE, meta));
    }

    @Test
    void currentAgeFollowsRfc9111() {
        // Sent at t0, received 2 s later, dated 5 s before t0, Age 3: apparent age 7 beats
        // corrected Age 3 + 2; ten seconds in the store make it 17.
        ObjectMeta meta = new ObjectMeta(200, fields("Date", date(t0.minusSeconds(5)), "Age", "3"),
                t0, t0.plusSeconds(2), Instant.MAX, 0);
        clock.advance(Duration.ofSeconds(12));
        assertEquals(Duration.ofSeconds(17), noHorizon.currentAge(meta));
    }

    @Test
    void upstreamAgePlusResponseDelayWinsWhenLarger() {
        ObjectMeta meta = new ObjectMeta(200, fields("Age", "100"), t0, t0.plusSeconds(2), Instant.MAX, 0);
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(102), noHorizon.currentAge(meta));
    }

    @Test
    void freshUntilTheAgeReachesTheLifetime() {
        ObjectMeta meta = response(200, "Cache-Control", "max-age=60");
        clock.advance(Duration.ofSeconds(59));
        assertTrue(noHorizon.isFresh(meta));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(noHorizon.isFresh(meta));
    }

    @Test
    void describeSetsExpiresToTheInstantTheResponseTurnsStale() {
        ObjectMeta meta = noHorizon.describe(200, fields("Cache-Control", "max-age=60", "Age", "10"), t0, t0,
                -1);
        assertEquals(t0.plusSeconds(50), meta.expires());
    }

    @Test
    @DisplayName("RFC 9111 §3: heuristically cacheable statuses are stored; others only with explicit freshness")
    void storableStatuses() {
        for (int status : new int[] {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 451, 501}) {
            assertTrue(noHorizon.mayStore(CacheControl.NONE, response(status, "Cache-Control", "max-age=1")),
                    "status " + status);
        }
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofSeconds(60));
        for (int status : new int[] {302, 303, 307, 400, 401, 403, 406, 409, 500, 502, 503, 504}) {
            assertTrue(noHorizon.mayStore(CacheControl.NONE, response(status, "Cache-Control", "max-age=1")),
                    "status " + status);
            assertTrue(noHorizon.mayStore(CacheControl.NONE, response(status, "Expires", date(t0.plusSeconds(9)))),
                    "Expires, status " + status);
            assertFalse(withHorizon.mayStore(CacheControl.NONE, response(status)), "no freshness, status " + status);
        }
    }

    @Test
    @DisplayName("RFC 9111 §3, RFC 9110 §15: an unknown final status is stored with explicit freshness, as its class's x00")
    void unknownStatusesNeedExplicitFreshness() {
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofSeconds(60));
        for (int status : new int[] {299, 399, 499, 599}) {
            assertTrue(noHorizon.mayStore(CacheControl.NONE, response(status, "Cache-Control", "max-age=60")),
                    "status " + status);
            assertFalse(withHorizon.mayStore(CacheControl.NONE, response(status, "ETag", "\"a\"")),
                    "no heuristic, status " + status);
        }
        for (int status : new int[] {100, 103, 199, 600, 999}) {
            assertFalse(noHorizon.mayStore(CacheControl.NONE, response(status, "Cache-Control", "max-age=60")),
                    "not a final status: " + status);
        }
    }

    @Test
    @DisplayName("RFC 9111 §3: statuses about one request, the message or the connection are never stored")
    void statusesThatDescribeSomethingElseAreNeverStored() {
        for (int status : new int[] {201, 202, 205, 206, 304, 305, 306, 402, 407, 408, 411, 412, 413, 415, 416, 417,
                421, 422, 426, 428, 429, 431, 505, 511}) {
            assertFalse(noHorizon.mayStore(CacheControl.NONE,
                    response(status, "Cache-Control", "public, max-age=60", "ETag", "\"a\"")), "status " + status);
        }
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.3: must-understand stores an understood 5xx despite no-store, not an unknown status")
    void mustUnderstandFollowsTheUnderstoodStatuses() {
        assertTrue(noHorizon.mayStore(CacheControl.NONE,
                response(503, "Cache-Control", "must-understand, no-store, max-age=60")));
        assertFalse(noHorizon.mayStore(CacheControl.NONE,
                response(421, "Cache-Control", "must-understand, no-store, max-age=60")));
        // Stored with max-age as its class's x00, but must-understand asks for more than that.
        assertFalse(noHorizon.mayStore(CacheControl.NONE, response(299, "Cache-Control", "must-understand, max-age=60")));
    }

    @Test
    void noStorePrivateAndVaryStarAreNotStored() {
        assertFalse(noHorizon.mayStore(CacheControl.NONE, response(200, "Cache-Control", "no-store, max-age=60")));
        assertFalse(noHorizon.mayStore(CacheControl.NONE, response(200, "Cache-Control", "private, max-age=60")));
        assertFalse(noHorizon.mayStore(CacheControl.NONE, response(200, "Cache-Control", "max-age=60", "Vary", "*")));
        assertFalse(noHorizon.mayStore(CacheControl.parse("no-store"), response(200, "Cache-Control", "max-age=60")));
    }

    @Test
    void withoutFreshnessOnlyResponsesWithValidatorsAreStored() {
        assertFalse(noHorizon.mayStore(CacheControl.NONE, response(200)));
        assertTrue(noHorizon.mayStore(CacheControl.NONE, response(200, "ETag", "\"a\"")));
        assertTrue(noHorizon.mayStore(CacheControl.NONE, response(200, "Last-Modified", date(t0.minusSeconds(60)))));
        assertTrue(new CachePolicy(clock, Duration.ofSeconds(1)).mayStore(CacheControl.NONE, response(200)));
    }

    @Test
    @DisplayName("RFC 9111 §3.5: GET and HEAD use the cache, with credentials too unless the operator says bypass")
    void onlyGetAndHeadUseTheCache() {
        assertTrue(noHorizon.mayUseCache("GET", false));
        assertTrue(noHorizon.mayUseCache("HEAD", false));
        assertFalse(noHorizon.mayUseCache("POST", false));
        assertTrue(noHorizon.mayUseCache("GET", true));
        CachePolicy bypass = new CachePolicy(clock, () -> Duration.ZERO, ResponseRulesConfig.defaults().withCacheAuthorized(false));
        assertTrue(bypass.mayUseCache("GET", false));
        assertFalse(bypass.mayUseCache("GET", true));
        assertFalse(bypass.mayUseCache("HEAD", true));
    }

    @Test
    @DisplayName("RFC 9111 §3.5: a response to credentials is stored only with public, s-maxage or must-revalidate")
    void responsesToCredentialsNeedADirectiveThatLetsASharedCacheKeepThem() {
        assertFalse(noHorizon.mayStore(CacheControl.NONE, true, response(200, "Cache-Control", "max-age=60")));
        assertFalse(noHorizon.mayStore(CacheControl.NONE, true, response(200, "Expires", date(t0.plusSeconds(60)))));
        assertTrue(noHorizon.mayStore(CacheControl.NONE, false, response(200, "Cache-Control", "max-age=60")));
        for (String directives : new String[] {"public, max-age=60", "s-maxage=60", "max-age=60, must-revalidate"}) {
            assertTrue(noHorizon.mayStore(CacheControl.NONE, true, response(200, "Cache-Control", directives)),
                    directives);
            assertTrue(CachePolicy.mayAnswerAuthorized(response(200, "Cache-Control", directives)), directives);
        }
        assertFalse(CachePolicy.mayAnswerAuthorized(response(200, "Cache-Control", "max-age=60, proxy-revalidate")));
        // RFC 9110 §15.5.2, §15.5.4: these judge one request's credentials.
        assertFalse(CachePolicy.mayAnswerAuthorized(response(401, "Cache-Control", "public, max-age=60")));
        assertFalse(CachePolicy.mayAnswerAuthorized(response(403, "Cache-Control", "s-maxage=60")));
        // The directive lets a shared cache keep it; the other rules of §3 still apply.
        assertFalse(noHorizon.mayStore(CacheControl.NONE, true, response(200, "Cache-Control", "public, no-store")));
    }

    @Test
    @DisplayName("RFC 9110 §9.3.3, §8.7: a POST response is stored for GETs with explicit freshness and its target named")
    void postResponses() {
        ObjectMeta fresh = response(200, "Cache-Control", "max-age=60");
        assertTrue(noHorizon.mayStorePostResponse(CacheControl.NONE, false, fresh, true));
        assertTrue(noHorizon.mayStorePostResponse(CacheControl.NONE, false,
                response(200, "Expires", date(t0.plusSeconds(60))), true));
        assertFalse(noHorizon.mayStorePostResponse(CacheControl.NONE, false, fresh, false), "another URI");
        CachePolicy withHorizon = new CachePolicy(clock, Duration.ofSeconds(60));
        assertFalse(withHorizon.mayStorePostResponse(CacheControl.NONE, false, response(200, "ETag", "\"a\""), true),
                "heuristic freshness only");
        assertFalse(noHorizon.mayStorePostResponse(CacheControl.NONE, false,
                response(303, "Cache-Control", "max-age=60"), true), "not 2xx");
        assertFalse(noHorizon.mayStorePostResponse(CacheControl.parse("no-store"), false, fresh, true));
        assertFalse(noHorizon.mayStorePostResponse(CacheControl.NONE, true, fresh, true), "credentials, §3.5");
        ObjectMeta shared = response(200, "Cache-Control", "public, max-age=60");
        assertTrue(noHorizon.mayStorePostResponse(CacheControl.NONE, true, shared, true));
        assertFalse(new CachePolicy(clock, () -> Duration.ZERO, ResponseRulesConfig.defaults().withCacheAuthorized(false)).mayStorePostResponse(CacheControl.NONE, true,
                shared, true), "credentials bypass the cache");
    }

    @Test
    void requestDirectivesCanDemandValidationOfAFreshResponse() {
        ObjectMeta meta = response(200, "Cache-Control", "max-age=600");
        clock.advance(Duration.ofSeconds(30));
        assertTrue(noHorizon.requestDemandsValidation(CacheControl.parse("no-cache"), false, meta));
        assertTrue(noHorizon.requestDemandsValidation(CacheControl.parse("max-age=0"), false, meta));
        assertTrue(noHorizon.requestDemandsValidation(CacheControl.parse("max-age=29"), false, meta));
        assertFalse(noHorizon.requestDemandsValidation(CacheControl.parse("max-age=30"), false, meta));
        assertTrue(noHorizon.requestDemandsValidation(CacheControl.NONE, true, meta));
        assertFalse(noHorizon.requestDemandsValidation(CacheControl.parse("max-age=60"), true, meta));
        assertFalse(noHorizon.requestDemandsValidation(CacheControl.NONE, false, meta));
    }

    private ObjectMeta response(int status, String... nameValues) {
        return new ObjectMeta(status, fields(nameValues), t0, t0, Instant.MAX, 0);
    }

    private static List<Map.Entry<String, String>> fields(String... nameValues) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return fields;
    }

    private static String date(Instant instant) {
        return HeaderFields.formatDate(instant);
    }
}
