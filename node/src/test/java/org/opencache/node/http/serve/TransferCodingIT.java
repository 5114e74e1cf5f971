package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.store.StoredObject;

/**
 * Transfer codings and framing from the origin (RFC 9112 §6, §7), and hop-by-hop fields, which
 * are never stored (RFC 9110 §7.6.1). The origin writes raw bytes: a Jetty server chooses its own
 * framing.
 */
class TransferCodingIT extends RawOriginTest {
    private static final String CONTENT = "the content, not a hop's encoding of it\n".repeat(20);
    @Test
    @DisplayName("RFC 9112 §6.1, §7.2: Transfer-Encoding: gzip, chunked is decoded; the content is relayed and stored, not the gzip bytes")
    void gzipBeneathChunkedIsDecoded() throws Exception {
        raw.answer("/gz", head("gzip, chunked") + chunked(gzip(CONTENT)));

        assertContentRelayedAndStored("/gz");
    }

    @Test
    @DisplayName("RFC 9110 §5.3, RFC 9112 §6.1: the codings may come on several Transfer-Encoding lines (gzip, then chunked)")
    void codingsOnSeveralLines() throws Exception {
        raw.answer("/lines", "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: gzip\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunked(gzip(CONTENT)));

        assertContentRelayedAndStored("/lines");
    }

    @Test
    @DisplayName("RFC 9112 §7.2: Transfer-Encoding: deflate, chunked (zlib) is decoded")
    void deflateBeneathChunkedIsDecoded() throws Exception {
        raw.answer("/deflate", head("deflate, chunked") + chunked(deflate(CONTENT)));

        assertContentRelayedAndStored("/deflate");
    }

    @Test
    @DisplayName("RFC 9112 §7: a transfer coding the cache cannot decode (compress) is a 502 with detail=origin-transfer-coding, not stored")
    void unknownCodingIsA502() throws Exception {
        raw.answer("/compress", head("compress, chunked") + chunked("\u001f\u009dnot really lzw"));

        ContentResponse response = cache.send("GET", raw.authority(), "/compress");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-transfer-coding", cacheStatus(response));
        assertTrue(response.getContentAsString().contains("'compress'"), response.getContentAsString());
        assertTrue(stored("/compress").isEmpty());
    }

    @Test
    @DisplayName("RFC 9112 §6.3, §8: a gzip transfer coding cut short is not the content: the response is aborted and not stored")
    void truncatedGzipIsNotStored() throws Exception {
        byte[] coded = gzip(CONTENT).getBytes(StandardCharsets.ISO_8859_1);
        String cut = new String(coded, 0, coded.length - 8, StandardCharsets.ISO_8859_1); // no gzip trailer
        raw.answer("/cut", head("gzip, chunked") + chunked(cut));

        assertThrows(ExecutionException.class, () -> cache.send("GET", raw.authority(), "/cut"));

        cache.awaitCounted(1);
        assertTrue(stored("/cut").isEmpty());
        assertEquals(0, cache.store.commits());
    }

    @Test
    @DisplayName("RFC 9112 §7.1.1, §7.1.2: chunk extensions are ignored and trailer fields are neither relayed as fields nor stored")
    void chunkExtensionsAndTrailers() throws Exception {
        raw.answer("/trailers", "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTrailer: X-Sum\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5;name=\"v\"\r\nhello\r\n0;last\r\nX-Sum: 42\r\n\r\n");

        ContentResponse miss = cache.send("GET", raw.authority(), "/trailers");
        ContentResponse hit = cache.send("GET", raw.authority(), "/trailers");

        for (ContentResponse response : List.of(miss, hit)) {
            assertEquals(200, response.getStatus());
            assertEquals("hello", response.getContentAsString());
            assertNull(response.getHeaders().get("X-Sum"));
            assertNull(response.getHeaders().get(HttpHeader.TRAILER));
        }
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(1, raw.requests("/trailers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "Transfer-Encoding-store-value"})
    @DisplayName("RFC 9112 §6.3 (4): a close-delimited response whose last coding is not chunked is a precise 502"
            + " (detail=origin-transfer-coding), not stored: a deviation, docs/http-caching.md says why")
    void closeDelimitedCodingIsA502(String coding) throws Exception {
        raw.answer("/eof", head(coding) + "opaque bytes");

        ContentResponse response = cache.send("GET", raw.authority(), "/eof");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-transfer-coding", cacheStatus(response));
        assertTrue(response.getContentAsString().contains("the origin's response framing cannot be read"),
                response.getContentAsString());
        assertTrue(stored("/eof").isEmpty());
    }

    @Test
    @DisplayName("RFC 9112 §6.1: a HEAD response and a 304 may name the codings a GET's body would have had; neither has a body to decode")
    void bodilessResponsesMayNameCodings() throws Exception {
        raw.answer("/head", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n");
        raw.answer("/validated", head("gzip, chunked").replace("max-age=60", "max-age=1\r\nETag: \"g\"\r\nConnection: close")
                + chunked(gzip(CONTENT)));
        cache.send("GET", raw.authority(), "/validated");
        cache.clock.advance(Duration.ofSeconds(5));
        raw.answer("/validated", "HTTP/1.1 304 Not Modified\r\nCache-Control: max-age=60\r\nETag: \"g\"\r\n"
                + "Transfer-Encoding: compress, chunked\r\nConnection: close\r\n\r\n");

        ContentResponse head = cache.send("HEAD", raw.authority(), "/head");
        ContentResponse revalidated = cache.send("GET", raw.authority(), "/validated");

        assertEquals(200, head.getStatus(), head.getContentAsString());
        assertEquals(200, revalidated.getStatus(), revalidated.getContentAsString());
        assertEquals(CONTENT, revalidated.getContentAsString());
        assertTrue(cacheStatus(revalidated).contains("fwd-status=304"), cacheStatus(revalidated));
    }

    @Test
    @DisplayName("RFC 9112 §6.2, §6.3 (3): a close-delimited coding with Content-Length is handled as an error: 502, detail=origin-transfer-coding")
    void closeDelimitedCodingWithContentLengthIsA502() throws Exception {
        String coded = gzip(CONTENT);
        raw.answer("/eof-length", "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: gzip\r\n"
                + "Content-Length: " + coded.length() + "\r\n\r\n" + coded);

        ContentResponse response = cache.send("GET", raw.authority(), "/eof-length");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-transfer-coding", cacheStatus(response));
    }

    @Test
    @DisplayName("RFC 9112 §6.2, §6.3 (3): Transfer-Encoding with Content-Length, which no sender may send, is handled as an error: 502, detail=origin-transfer-coding")
    void transferEncodingWithContentLengthIsA502() throws Exception {
        raw.answer("/both", "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        ContentResponse response = cache.send("GET", raw.authority(), "/both");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-transfer-coding", cacheStatus(response));
        assertTrue(stored("/both").isEmpty());
    }

    @Test
    @DisplayName("RFC 9112 §6.1, §6.3: an HTTP/1.0 response with Transfer-Encoding has faulty framing: 502, detail=origin-transfer-coding, not stored")
    void http10ResponseWithTransferEncodingIsA502() throws Exception {
        raw.answer("/old", "HTTP/1.0 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");

        ContentResponse response = cache.send("GET", raw.authority(), "/old");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-transfer-coding", cacheStatus(response));
        assertTrue(stored("/old").isEmpty());
    }

    @Test
    @DisplayName("RFC 9110 §7.6.1, RFC 9112 §6.1: hop-by-hop fields of a 200, of a 304 that freshens it and of a HEAD that updates it are never stored, nor served on a hit")
    void hopByHopFieldsAreNeverStored() throws Exception {
        String hopByHop = "Connection: close, X-Hop, Keep-Alive\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                + "Proxy-Authenticate: Basic realm=\"p\"\r\nUpgrade: h2c\r\nTrailer: X-Sum\r\n";
        raw.answer("/hop", "HTTP/1.1 200 OK\r\nCache-Control: max-age=1\r\nETag: \"h\"\r\n" + hopByHop
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n");
        cache.send("GET", raw.authority(), "/hop");
        cache.clock.advance(Duration.ofSeconds(5));
        raw.answer("/hop", "HTTP/1.1 304 Not Modified\r\nCache-Control: max-age=60\r\nETag: \"h\"\r\n"
                + hopByHop.replace("X-Hop", "X-Hop2") + "X-Hop2: 2\r\n\r\n");

        ContentResponse revalidated = cache.send("GET", raw.authority(), "/hop");
        // RFC 9111 §4.3.5: a HEAD relayed while the GET is stale updates its fields, hop-by-hop ones excepted.
        cache.clock.advance(Duration.ofSeconds(120));
        raw.answer("/hop", "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nETag: \"h\"\r\nContent-Length: 5\r\n"
                + hopByHop.replace("X-Hop", "X-Hop3") + "X-Hop3: 3\r\n\r\n");
        ContentResponse head = cache.send("HEAD", raw.authority(), "/hop");
        String hit = cache.raw("GET /hop HTTP/1.1\r\nHost: " + raw.authority() + "\r\nConnection: close\r\n\r\n");

        assertEquals("hello", revalidated.getContentAsString());
        assertEquals(200, head.getStatus());
        assertEquals("max-age=600", stored("/hop").orElseThrow().meta().header("Cache-Control"), "the HEAD updated it");
        List<String> storedNames = stored("/hop").orElseThrow().meta().headers().stream()
                .map(Map.Entry::getKey).map(name -> name.toLowerCase(Locale.ROOT)).toList();
        for (String name : List.of("connection", "x-hop", "x-hop2", "x-hop3", "keep-alive", "proxy-connection",
                "proxy-authenticate", "upgrade", "trailer", "transfer-encoding", "x-sum")) {
            assertFalse(storedNames.contains(name), name + " stored: " + storedNames);
            // The cache's own Connection: close for this hop is the only one.
            assertFalse(hit.toLowerCase(Locale.ROOT).replace("\r\nconnection: close\r\n", "\r\n")
                    .contains("\r\n" + name + ":"), name + " served: " + hit);
        }
        assertTrue(hit.contains("Cache-Status: OpenCache; hit"), hit);
        assertEquals(3, raw.requests("/hop"));
    }

    // A miss gets the content and so does the hit after it, from one origin request.
    private void assertContentRelayedAndStored(String target) throws Exception {
        ContentResponse miss = cache.send("GET", raw.authority(), target);
        ContentResponse hit = cache.send("GET", raw.authority(), target);

        assertEquals(200, miss.getStatus());
        assertEquals(CONTENT, miss.getContentAsString());
        assertNull(miss.getHeaders().get(HttpHeader.CONTENT_ENCODING));
        assertEquals(CONTENT, hit.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(String.valueOf(CONTENT.length()), hit.getHeaders().get(HttpHeader.CONTENT_LENGTH));
        assertNull(stored(target).orElseThrow().meta().header("Transfer-Encoding"));
        assertEquals(1, raw.requests(target));
    }

    private static String head(String transferEncoding) {
        return "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: " + transferEncoding + "\r\n\r\n";
    }

    // The bytes (one char a byte) in two chunks, then the last chunk.
    private static String chunked(String bytes) {
        int half = bytes.length() / 2;
        return Integer.toHexString(half) + "\r\n" + bytes.substring(0, half) + "\r\n"
                + Integer.toHexString(bytes.length() - half) + "\r\n" + bytes.substring(half) + "\r\n0\r\n\r\n";
    }

    private static String gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String deflate(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private Optional<StoredObject> stored(String target) {
        return cache.store.lookup(CacheKeys.key(cache.instance, "127.0.0.1", raw.port(), target));
    }
}
