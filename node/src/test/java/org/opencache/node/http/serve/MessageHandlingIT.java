package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Message framing and fields (RFC 9110 §6.6.1, §7.6, RFC 9112 §6). */
class MessageHandlingIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/m", TestOrigin.ok("message", "Cache-Control", "max-age=60", "Connection", "X-Hop",
                "X-Hop", "1", "Keep-Alive", "timeout=5"));
    }

    @Test
    @DisplayName("RFC 9112 §6.1: Content-Length together with Transfer-Encoding is refused with 400")
    void contentLengthWithTransferEncoding() throws Exception {
        assertRefused("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /m HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    @DisplayName("RFC 9112 §6.3: conflicting Content-Length values are refused with 400")
    void conflictingContentLengths() throws Exception {
        assertRefused("Content-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello!");
    }

    @Test
    @DisplayName("RFC 9112 §6.1: a Transfer-Encoding other than chunked last is refused")
    void unknownTransferEncoding() throws Exception {
        assertRefused("Transfer-Encoding: chunked, identity\r\nConnection: close\r\n\r\n0\r\n\r\n");
    }

    @Test
    @DisplayName("RFC 9110 §7.6.1, §7.6.3, §6.6.1: hop-by-hop fields dropped, Via and Date added, stored and hit alike")
    void fieldsOnMissAndHit() throws Exception {
        ContentResponse miss = cache.get(origin, "/m", "Connection", "X-Client-Hop", "X-Client-Hop", "1");
        ContentResponse hit = cache.get(origin, "/m");

        for (ContentResponse response : new ContentResponse[] {miss, hit}) {
            assertNull(response.getHeaders().get("X-Hop"));
            assertNull(response.getHeaders().get("Keep-Alive"));
            assertTrue(response.getHeaders().get(HttpHeader.VIA).contains("1.1 opencache"));
            assertNotNull(response.getHeaders().get(HttpHeader.DATE));
        }
        assertNull(origin.last("/m").fields().get("X-Client-Hop"));
        assertTrue(origin.last("/m").fields().get(HttpHeader.VIA).contains("1.1 opencache"));
        assertNull(cache.store.lookup(cache.key(origin, "/m")).orElseThrow().meta().header("X-Hop"));
    }

    @Test
    @DisplayName("RFC 9110 §5.6.7, §6.6.1: the Date the cache adds is an IMF-fixdate, two-digit day, on a miss, a hit, a 304 and an error")
    void addedDateIsAnImfFixdate() throws Exception {
        cache.clock.set(Instant.parse("2026-12-03T07:05:09Z"));
        String expected = "Thu, 03 Dec 2026 07:05:09 GMT";
        origin.route("/undated", TestOrigin.ok("no clock", "Cache-Control", "max-age=60", "ETag", "\"u\""));

        ContentResponse miss = cache.get(origin, "/undated");
        ContentResponse hit = cache.get(origin, "/undated");
        ContentResponse notModified = cache.get(origin, "/undated", "If-None-Match", "\"u\"");
        ContentResponse partial = cache.get(origin, "/undated", "Range", "bytes=0-1");
        String refused = cache.raw("GET /undated HTTP/1.0\r\n\r\n"); // no Host: the cache's own 400

        assertEquals(List.of(200, 200, 304, 206), Stream.of(miss, hit, notModified, partial)
                .map(ContentResponse::getStatus).toList());
        for (ContentResponse response : List.of(miss, hit, notModified, partial)) {
            assertEquals(List.of(expected), response.getHeaders().getValuesList(HttpHeader.DATE),
                    response.getStatus() + " " + response.getHeaders());
        }
        assertTrue(refused.startsWith("HTTP/1.1 400 ") && refused.contains("\r\nDate: " + expected + "\r\n"), refused);
    }

    @Test
    @DisplayName("RFC 9110 §6.6.1: a response carries one Date, the origin's, on a miss and a hit")
    void theOriginsDateIsTheOnlyDate() throws Exception {
        String originDate = "Wed, 02 Dec 2026 07:00:00 GMT";
        cache.clock.set(Instant.parse("2026-12-02T07:00:05Z"));
        origin.route("/dated", TestOrigin.ok("dated", "Cache-Control", "max-age=60", "Date", originDate));

        ContentResponse miss = cache.get(origin, "/dated");
        ContentResponse hit = cache.get(origin, "/dated");

        for (ContentResponse response : List.of(miss, hit)) {
            assertEquals(List.of(originDate), response.getHeaders().getValuesList(HttpHeader.DATE),
                    response.getStatus() + " " + response.getHeaders());
        }
        assertEquals(1, origin.requests("/dated"));
    }

    @Test
    @DisplayName("RFC 9110 §5.5: field values are relayed and stored exactly as sent, also over a reused origin connection")
    void fieldValuesKeepTheirCaseOverAReusedOriginConnection() throws Exception {
        List<String> spellings = List.of("max-age=60, x-Ext=1", "MAX-AGE=60, X-EXT=1", "no-cache", "No-CaChE");
        for (int i = 0; i < spellings.size(); i++) {
            origin.route("/spelt" + i, TestOrigin.ok("spelt", "Cache-Control", spellings.get(i), "ETag", "\"s\""));
        }

        for (int i = 0; i < spellings.size(); i++) {
            String response = cache.raw("GET /spelt" + i + " HTTP/1.1\r\nHost: " + origin.authority()
                    + "\r\nConnection: close\r\n\r\n");
            assertEquals(spellings.get(i),
                    cache.store.lookup(cache.key(origin, "/spelt" + i)).orElseThrow().meta().header("Cache-Control"));
            assertTrue(response.contains("\r\nCache-Control: " + spellings.get(i) + "\r\n"), response);
        }
    }

    @Test
    @DisplayName("RFC 9110 §5.5: request field values reach the origin as the client spelt them, also on a reused client connection")
    void requestFieldValuesKeepTheirCase() throws Exception {
        origin.route("/a", TestOrigin.ok("a"));
        origin.route("/b", TestOrigin.ok("b"));
        String host = "Host: " + origin.authority() + "\r\n";

        cache.raw("GET /a HTTP/1.1\r\n" + host + "X-Spelt: gzip\r\nAccept-Encoding: gzip\r\n\r\n"
                + "GET /b HTTP/1.1\r\n" + host + "X-Spelt: GZIP\r\nAccept-Encoding: GZIP\r\nConnection: close\r\n\r\n");

        assertEquals("GZIP", origin.last("/b").fields().get("X-Spelt"));
        assertEquals("GZIP", origin.last("/b").fields().get("Accept-Encoding"));
    }

    // A POST with the given framing fields and body is answered 400 and never reaches the origin.
    private void assertRefused(String framingAndBody) throws Exception {
        String answer = cache.raw("POST /m HTTP/1.1\r\nHost: " + origin.authority() + "\r\n" + framingAndBody);

        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        // RFC 9110 §6.6.1: the server's own 400 is dated too, as an IMF-fixdate.
        assertTrue(answer.matches("(?s).*\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n.*"),
                answer);
        assertEquals(0, origin.requests("/m"));
    }
}
