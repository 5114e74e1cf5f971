package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Ranges served from stored responses (RFC 9110 §14). */
class RangeIT extends ThreePartyTest {
    private static final String BODY = "0123456789abcdefghij";

    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/r", TestOrigin.ok(BODY, "ETag", "\"r1\"", "Cache-Control", "max-age=60"));
        cache.get(origin, "/r");
    }

    @Test
    @DisplayName("RFC 9110 §14.2, §15.3.7: one range is a 206 with Content-Range")
    void singleRange() throws Exception {
        ContentResponse partial = cache.get(origin, "/r", "Range", "bytes=5-9");

        assertEquals(206, partial.getStatus());
        assertEquals("56789", partial.getContentAsString());
        assertEquals("bytes 5-9/20", partial.getHeaders().get(HttpHeader.CONTENT_RANGE));
        assertEquals("5", partial.getHeaders().get(HttpHeader.CONTENT_LENGTH));
        assertEquals("OpenCache; hit", cacheStatus(partial));
        assertEquals(1, origin.requests("/r"));
    }

    @Test
    @DisplayName("RFC 9110 §14.1.2: a suffix range is the last bytes")
    void suffixRange() throws Exception {
        assertEquals("ghij", cache.get(origin, "/r", "Range", "bytes=-4").getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §14.6: several ranges are a multipart/byteranges 206")
    void multipleRanges() throws Exception {
        ContentResponse partial = cache.get(origin, "/r", "Range", "bytes=0-1, 18-");

        assertEquals(206, partial.getStatus());
        String type = partial.getHeaders().get(HttpHeader.CONTENT_TYPE);
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        String expected = "--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 18-19/20\r\n\r\nij\r\n"
                + "--" + boundary + "--\r\n";
        assertEquals(expected, partial.getContentAsString());
        assertEquals(Integer.toString(expected.length()), partial.getHeaders().get(HttpHeader.CONTENT_LENGTH));
    }

    @Test
    @DisplayName("RFC 9110 §15.5.17: an unsatisfiable range is a 416 with Content-Range */length")
    void unsatisfiable() throws Exception {
        ContentResponse refused = cache.get(origin, "/r", "Range", "bytes=20-");

        assertEquals(416, refused.getStatus());
        assertEquals("bytes */20", refused.getHeaders().get(HttpHeader.CONTENT_RANGE));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: If-Range with a matching ETag gets the range, else the whole")
    void ifRange() throws Exception {
        ContentResponse matching = cache.get(origin, "/r", "Range", "bytes=0-0", "If-Range", "\"r1\"");
        ContentResponse changed = cache.get(origin, "/r", "Range", "bytes=0-0", "If-Range", "\"r0\"");

        assertEquals(206, matching.getStatus());
        assertEquals(200, changed.getStatus());
        assertEquals(BODY, changed.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §14.2: an invalid Range is ignored and the whole is sent")
    void invalidIgnored() throws Exception {
        ContentResponse whole = cache.get(origin, "/r", "Range", "bytes=9-2");

        assertEquals(200, whole.getStatus());
        assertEquals("bytes", whole.getHeaders().get(HttpHeader.ACCEPT_RANGES));
    }

    @Test
    @DisplayName("RFC 9111 §3.3, RFC 9110 §14.2: a miss whose origin ignores the Range gets a 206 while the whole is stored")
    void missServesTheRangeAndStoresTheWhole() throws Exception {
        String large = "0123456789".repeat(20_000);
        origin.route("/m", TestOrigin.ok(large, "Cache-Control", "max-age=60"));

        ContentResponse miss = cache.get(origin, "/m", "Range", "bytes=99995-100004");
        ContentResponse whole = cache.get(origin, "/m");

        assertEquals(206, miss.getStatus());
        assertEquals("5678901234", miss.getContentAsString());
        assertEquals("bytes 99995-100004/200000", miss.getHeaders().get(HttpHeader.CONTENT_RANGE));
        // 200 000 bytes stream through: no promise is made (RFC 9211 §2.5), the next request is the proof.
        assertEquals("OpenCache; fwd=miss; detail=storing", cacheStatus(miss));
        // The range is asked for (PartialContentIT); this origin answers with the whole 200.
        assertEquals("bytes=99995-100004", origin.last("/m").fields().get(HttpHeader.RANGE));
        assertEquals("OpenCache; hit", cacheStatus(whole));
        assertEquals(large, whole.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §14.2: on a miss several ranges get the whole 200")
    void missWithSeveralRanges() throws Exception {
        origin.route("/m", TestOrigin.ok(BODY, "Cache-Control", "max-age=60"));

        ContentResponse miss = cache.get(origin, "/m", "Range", "bytes=0-1, 4-5");

        assertEquals(200, miss.getStatus());
        assertEquals(BODY, miss.getContentAsString());
    }
}
