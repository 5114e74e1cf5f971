package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.testing.TestOrigin;

/**
 * What a client sees of how the cache reads HTTP-dates (RFC 9110 §5.6.7: exactly three formats)
 * in {@code Expires}, {@code Date}, {@code Last-Modified}, {@code If-Modified-Since} and
 * {@code If-Range}, and the {@code Age} field (RFC 9111 §5.1).
 */
class DateAndAgeIT extends ThreePartyTest {
    private static final String VALID_EXPIRES = "Thu, 18 Aug 2050 02:01:18 GMT";
    private static final String LAST_MODIFIED = "Mon, 02 Nov 2026 10:00:00 GMT";

    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Thu, 18 Aug 2050 02:01:18 UTC", // another zone
        "Thu, 18 Aug 2050 02:01:18 +0000",
        "Thu, 18 Aug 50 02:01:18 GMT", // two-digit year in the IMF form
        "Thu 18 Aug 2050 02:01:18 GMT", // missing comma
        "Thu, 18  Aug  2050 02:01:18 GMT", // doubled spaces
        "Thu, 18-Aug-2050 02:01:18 GMT", // dashes
        "Thu, 18 Aug 2050 02.01.18 GMT", // periods in the time
        "Thu, 18 Aug 2050 2:01:18 GMT", // one-digit hour
        "Thu, 8 Aug 2050 02:01:18 GMT", // one-digit day
    })
    @DisplayName("RFC 9111 §5.3, RFC 9110 §5.6.7: an Expires in no HTTP-date format means expired: not served from the store")
    void invalidExpiresIsExpired(String expires) throws Exception {
        origin.route("/e", TestOrigin.ok("expires", "Date", now(), "Expires", expires));

        ContentResponse first = cache.get(origin, "/e");
        ContentResponse second = cache.get(origin, "/e");

        assertEquals(expires, first.getHeaders().get(HttpHeader.EXPIRES), "relayed as received");
        assertEquals("OpenCache; fwd=miss", cacheStatus(second));
        assertEquals("expires", second.getContentAsString());
        assertEquals(2, origin.requests("/e"));
    }

    @ParameterizedTest
    @ValueSource(strings = {VALID_EXPIRES, "THU, 18 AUG 2050 02:01:18 gmt", "Thursday, 18-Aug-50 02:01:18 GMT",
        "Thu Aug 18 02:01:18 2050"})
    @DisplayName("RFC 9110 §5.6.7, RFC 9111 §4.2: an Expires in any of the three formats, in any case, is used")
    void validExpiresIsUsed(String expires) throws Exception {
        origin.route("/e", TestOrigin.ok("expires", "Date", now(), "Expires", expires));

        cache.get(origin, "/e");
        ContentResponse second = cache.get(origin, "/e");

        assertEquals("OpenCache; hit", cacheStatus(second));
        assertEquals(1, origin.requests("/e"));
    }

    @Test
    @DisplayName("RFC 9110 §6.6.1, §5.6.7: an invalid Date is replaced by the time of receipt, so it does not age the response")
    void invalidDateIsTheTimeOfReceipt() throws Exception {
        origin.route("/d", TestOrigin.ok("dated", "Date", "Sun, 06 Nov 1994 08:49:37 UTC", "Cache-Control",
                "max-age=60"));

        cache.get(origin, "/d");
        cache.clock.advance(Duration.ofSeconds(5));
        ContentResponse hit = cache.get(origin, "/d");

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals("5", hit.getHeaders().get(HttpHeader.AGE));
        assertEquals(1, origin.requests("/d"));
    }

    @Test
    @DisplayName("RFC 9111 §4.2.2, RFC 9110 §5.6.7: an invalid Last-Modified gives no heuristic freshness; it still validates as sent")
    void invalidLastModifiedGivesNoHeuristic() throws Exception {
        String utc = "Sun, 06 Nov 1994 08:49:37 UTC";
        origin.route("/lm", TestOrigin.ok("modified", "Last-Modified", utc));

        cache.get(origin, "/lm");
        ContentResponse second = cache.get(origin, "/lm");

        assertEquals("OpenCache; fwd=stale", cacheStatus(second).substring(0, "OpenCache; fwd=stale".length()));
        assertEquals(2, origin.requests("/lm"));
        assertEquals(utc, origin.last("/lm").fields().get(HttpHeader.IF_MODIFIED_SINCE));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3: an If-Modified-Since in no HTTP-date format is ignored: the stored 200 is sent")
    void invalidIfModifiedSinceIsIgnored() throws Exception {
        storeWithLastModified();

        ContentResponse valid = cache.get(origin, "/c", "If-Modified-Since", LAST_MODIFIED);
        for (String invalid : new String[] {"Mon, 02 Nov 2026 10:00:00 UTC", "Mon 02 Nov 2026 10:00:00 GMT",
            "Mon, 02 Nov 26 10:00:00 GMT", "Mon, 02-Nov-2026 10:00:00 GMT", "Mon, 02  Nov 2026 10:00:00 GMT",
            LAST_MODIFIED + "; length=11"}) {
            ContentResponse ignored = cache.get(origin, "/c", "If-Modified-Since", invalid);
            assertEquals(200, ignored.getStatus(), invalid);
            assertEquals("conditional", ignored.getContentAsString(), invalid);
        }

        assertEquals(304, valid.getStatus());
        assertEquals(1, origin.requests("/c"));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3, RFC 9111 §4.3.2: If-Modified-Since against a response without Last-Modified uses its Date")
    void ifModifiedSinceAgainstDate() throws Exception {
        Instant dated = cache.clock.instant().minusSeconds(30);
        origin.route("/d", TestOrigin.ok("dated", "Date", HeaderFields.formatDate(dated), "ETag", "\"d\"",
                "Cache-Control", "max-age=60"));
        cache.get(origin, "/d");

        ContentResponse sameDate = cache.get(origin, "/d", "If-Modified-Since", HeaderFields.formatDate(dated));
        ContentResponse later = cache.get(origin, "/d", "If-Modified-Since",
                HeaderFields.formatDate(dated.plusSeconds(10)));
        ContentResponse earlier = cache.get(origin, "/d", "If-Modified-Since",
                HeaderFields.formatDate(dated.minusSeconds(1)));

        assertEquals(304, sameDate.getStatus());
        assertEquals("OpenCache; hit", cacheStatus(sameDate));
        assertEquals(304, later.getStatus());
        assertEquals(200, earlier.getStatus());
        assertEquals("dated", earlier.getContentAsString());
        assertEquals(1, origin.requests("/d"));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.3, §6.6.1: without Last-Modified or Date, the Date the cache added is the one compared")
    void ifModifiedSinceAgainstAddedDate() throws Exception {
        origin.route("/u", TestOrigin.ok("undated", "ETag", "\"u\"", "Cache-Control", "max-age=60"));
        ContentResponse miss = cache.get(origin, "/u");
        String added = miss.getHeaders().get(HttpHeader.DATE);

        ContentResponse notModified = cache.get(origin, "/u", "If-Modified-Since", added);
        ContentResponse modified = cache.get(origin, "/u", "If-Modified-Since",
                HeaderFields.formatDate(HeaderFields.parseDate(added).orElseThrow().minusSeconds(1)));

        assertEquals(304, notModified.getStatus());
        assertEquals(200, modified.getStatus());
        assertEquals(1, origin.requests("/u"));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: an If-Range date in no HTTP-date format lets no range apply: the whole is sent")
    void invalidIfRangeDate() throws Exception {
        storeWithLastModified();

        ContentResponse partial = cache.get(origin, "/c", "Range", "bytes=0-3", "If-Range", LAST_MODIFIED);
        ContentResponse whole = cache.get(origin, "/c", "Range", "bytes=0-3", "If-Range",
                "Mon, 02 Nov 2026 10:00:00 UTC");

        assertEquals(206, partial.getStatus());
        assertEquals("cond", partial.getContentAsString());
        assertEquals(200, whole.getStatus());
        assertEquals("conditional", whole.getContentAsString());
        assertEquals(1, origin.requests("/c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7200, 0", "0,7200", "0, 0", "3600, 3600"})
    @DisplayName("RFC 9111 §5.1, §4.2.1: Age is a singleton: a list makes the response stale")
    void ageListMakesStale(String age) throws Exception {
        assertAgeMakesStale("/a", true, "Age", age);
    }

    @Test
    @DisplayName("RFC 9111 §5.1, §4.2.1: several Age field lines make the response stale; one young Age keeps it fresh")
    void ageLines() throws Exception {
        assertAgeMakesStale("/old", true, "Age", "7200", "Age", "0");
        assertAgeMakesStale("/twice", true, "Age", "0", "Age", "0");
        assertAgeMakesStale("/young", false, "Age", "0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-7200", "7200.0", "7200abc", "7200;foo=bar", "7200;foo=111", "abc, 7200"})
    @DisplayName("RFC 9111 §5.1, §4.2.1: an invalid Age makes the response stale (freshness information that cannot be read)")
    void invalidAgeMakesStale(String age) throws Exception {
        assertAgeMakesStale("/a", true, "Age", age);
    }

    // A max-age=3600 response dated now: whether its Age makes the cache ask the origin again.
    private void assertAgeMakesStale(String path, boolean stale, String... ageFields) throws Exception {
        String[] fields = new String[ageFields.length + 4];
        fields[0] = "Date";
        fields[1] = now();
        fields[2] = "Cache-Control";
        fields[3] = "max-age=3600";
        System.arraycopy(ageFields, 0, fields, 4, ageFields.length);
        origin.route(path, TestOrigin.ok("aged", fields));

        cache.get(origin, path);
        ContentResponse second = cache.get(origin, path);

        assertEquals(stale ? 2 : 1, origin.requests(path), String.join(" ", ageFields));
        assertEquals(stale ? "OpenCache; fwd=stale; fwd-status=200" : "OpenCache; hit",
                cacheStatus(second).replace("; stored", ""), String.join(" ", ageFields));
    }

    private void storeWithLastModified() throws Exception {
        origin.route("/c", TestOrigin.ok("conditional", "ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED, "Date",
                now(), "Cache-Control", "max-age=60"));
        cache.get(origin, "/c");
    }

    private String now() {
        return HeaderFields.formatDate(cache.clock.instant());
    }
}
