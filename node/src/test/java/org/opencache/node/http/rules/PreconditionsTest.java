package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.http.rules.PolicyFixtures.date;
import static org.opencache.node.http.rules.PolicyFixtures.response;

import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.store.ObjectMeta;

class PreconditionsTest {
    private final Instant t0 = Instant.ofEpochSecond(1_700_000_000);
    private final ObjectMeta stored = response(t0, 200, "ETag", "\"v1\"", "Last-Modified", date(t0.minusSeconds(60)),
            "Date", date(t0));

    @Test
    @DisplayName("RFC 9110 §13.1.2: If-None-Match matches weakly, lists and * included")
    void ifNoneMatch() {
        assertTrue(Preconditions.notModified(request("If-None-Match", "\"v1\""), stored));
        assertTrue(Preconditions.notModified(request("If-None-Match", "W/\"v1\""), stored));
        assertTrue(Preconditions.notModified(request("If-None-Match", "\"x\", \"v1\""), stored));
        assertTrue(Preconditions.notModified(request("If-None-Match", "*"), stored));
        assertFalse(Preconditions.notModified(request("If-None-Match", "\"v2\""), stored));
    }

    @Test
    @DisplayName("RFC 9110 §13.2.2: If-None-Match takes precedence over If-Modified-Since")
    void noneMatchBeforeModifiedSince() {
        assertFalse(Preconditions.notModified(request("If-None-Match", "\"v2\"", "If-Modified-Since", date(t0)),
                stored));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3: If-Modified-Since compares with Last-Modified; invalid dates are ignored")
    void ifModifiedSince() {
        assertTrue(Preconditions.notModified(request("If-Modified-Since", date(t0.minusSeconds(60))), stored));
        assertFalse(Preconditions.notModified(request("If-Modified-Since", date(t0.minusSeconds(61))), stored));
        assertFalse(Preconditions.notModified(request("If-Modified-Since", "yesterday"), stored));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3, RFC 9111 §4.3.2: without Last-Modified, If-Modified-Since compares with Date")
    void ifModifiedSinceAgainstDate() {
        ObjectMeta dated = response(t0, 200, "ETag", "\"v1\"", "Date", date(t0.minusSeconds(10)));
        assertTrue(Preconditions.notModified(request("If-Modified-Since", date(t0.minusSeconds(10))), dated));
        assertTrue(Preconditions.notModified(request("If-Modified-Since", date(t0)), dated));
        assertFalse(Preconditions.notModified(request("If-Modified-Since", date(t0.minusSeconds(11))), dated));
        // Neither Last-Modified nor a valid Date: the time the response was received (t0).
        ObjectMeta undated = response(t0, 200, "Date", "Sun, 06 Nov 1994 08:49:37 UTC");
        assertTrue(Preconditions.notModified(request("If-Modified-Since", date(t0)), undated));
        assertFalse(Preconditions.notModified(request("If-Modified-Since", date(t0.minusSeconds(1))), undated));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3: an If-Modified-Since that is not an HTTP-date (§5.6.7) or has several members is ignored")
    void invalidIfModifiedSinceIsIgnored() {
        Instant later = t0.plusSeconds(3600);
        assertTrue(Preconditions.notModified(request("If-Modified-Since", date(later)), stored));
        String valid = date(later);
        for (String invalid : new String[] {valid.replace("GMT", "UTC"), valid.replace(", ", " "),
            valid.replace(" ", "  "), valid.replaceFirst(" (\\d\\d) (\\w{3}) ", " $1-$2-"),
            valid.replaceFirst(" 20(\\d\\d) ", " $1 "), valid + "; length=12", valid + ", " + valid, "0"}) {
            assertFalse(Preconditions.notModified(request("If-Modified-Since", invalid), stored), invalid);
        }
        assertFalse(Preconditions.notModified(request("If-Modified-Since", valid, "If-Modified-Since", valid), stored));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: an If-Range that is neither an entity-tag nor an HTTP-date lets no range apply")
    void invalidIfRangeDate() {
        String lastModified = date(t0.minusSeconds(60));
        assertTrue(Preconditions.rangeApplies(request("If-Range", lastModified), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", lastModified.replace("GMT", "UTC")), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", lastModified.replace(" ", "  ")), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", lastModified.replace(",", "")), stored));
    }

    @Test
    @DisplayName("RFC 9110 §13.2.1: preconditions do not apply to a stored non-2xx response")
    void onlyFor2xx() {
        ObjectMeta notFound = response(t0, 404, "ETag", "\"v1\"");
        assertFalse(Preconditions.notModified(request("If-None-Match", "\"v1\""), notFound));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: If-Range needs a strong ETag match or a strong Last-Modified")
    void ifRange() {
        assertTrue(Preconditions.rangeApplies(request(), stored));
        assertTrue(Preconditions.rangeApplies(request("If-Range", "\"v1\""), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", "W/\"v1\""), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", "\"v2\""), stored));
        assertTrue(Preconditions.rangeApplies(request("If-Range", date(t0.minusSeconds(60))), stored));
        assertFalse(Preconditions.rangeApplies(request("If-Range", date(t0.minusSeconds(59))), stored));
        ObjectMeta weakDate = response(t0, 200, "Last-Modified", date(t0), "Date", date(t0));
        assertFalse(Preconditions.rangeApplies(request("If-Range", date(t0)), weakDate));
    }

    @Test
    @DisplayName("RFC 9110 §15.4.5: a 304 carries only the fields a cache needs")
    void notModifiedFields() {
        HttpFields.Mutable fields = HttpFields.build().put("ETag", "\"v1\"").put("Content-Type", "text/plain")
                .put("Cache-Control", "max-age=5").put("Vary", "Accept");
        assertEquals(3, Preconditions.notModifiedFields(fields).size());
        assertFalse(Preconditions.notModifiedFields(fields).contains("Content-Type"));
    }

    @Test
    @DisplayName("RFC 9111 §3.4, RFC 9110 §15.3.7.3: parts combine only with the same strong validator")
    void sameStrongValidator() {
        String earlier = date(t0.minusSeconds(60));
        ObjectMeta tagged = response(t0, 206, "ETag", "\"v1\"");
        assertTrue(Preconditions.sameStrongValidator(tagged, response(t0, 206, "ETag", "\"v1\"")));
        assertFalse(Preconditions.sameStrongValidator(tagged, response(t0, 206, "ETag", "\"v2\"")));
        // A weak ETag is never strong enough, nor is one side's ETag against none.
        assertFalse(Preconditions.sameStrongValidator(response(t0, 206, "ETag", "W/\"v1\""),
                response(t0, 206, "ETag", "W/\"v1\"")));
        assertFalse(Preconditions.sameStrongValidator(tagged,
                response(t0, 206, "Last-Modified", earlier, "Date", date(t0))));
        // RFC 9110 §8.8.2.2: Last-Modified is strong at least a second before Date.
        ObjectMeta modified = response(t0, 206, "Last-Modified", earlier, "Date", date(t0));
        assertTrue(Preconditions.sameStrongValidator(modified,
                response(t0, 206, "Last-Modified", earlier, "Date", date(t0.plusSeconds(5)))));
        assertFalse(Preconditions.sameStrongValidator(response(t0, 206, "Last-Modified", date(t0), "Date", date(t0)),
                response(t0, 206, "Last-Modified", date(t0), "Date", date(t0))));
        assertFalse(Preconditions.sameStrongValidator(response(t0, 206), response(t0, 206)));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: the If-Range of a completion is the strong ETag, else a strong Last-Modified")
    void strongValidator() {
        String earlier = date(t0.minusSeconds(60));
        assertEquals(Optional.of("\"v1\""), Preconditions.strongValidator(response(t0, 206, "ETag", "\"v1\"",
                "Last-Modified", earlier, "Date", date(t0))));
        assertEquals(Optional.empty(), Preconditions.strongValidator(response(t0, 206, "ETag", "W/\"v1\"",
                "Last-Modified", earlier, "Date", date(t0))));
        assertEquals(Optional.of(earlier), Preconditions.strongValidator(response(t0, 206, "Last-Modified", earlier,
                "Date", date(t0))));
        assertEquals(Optional.empty(), Preconditions.strongValidator(response(t0, 206, "Last-Modified", date(t0),
                "Date", date(t0))));
        assertEquals(Optional.empty(), Preconditions.strongValidator(response(t0, 206)));
    }

    private static HttpFields request(String... nameValues) {
        return PolicyFixtures.httpFields(nameValues);
    }
}
