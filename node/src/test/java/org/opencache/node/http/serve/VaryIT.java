package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Secondary keys (RFC 9111 §4.1): several variants of one URL side by side. */
class VaryIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/v", (request, response, callback) -> TestOrigin.ok(
                "body for " + request.getHeaders().get("Accept-Language") + " " + request.getHeaders().get("X-Mode"),
                "Cache-Control", "max-age=60", "Vary", "Accept-Language, X-Mode").handle(request, response, callback));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: variants of one URL are stored side by side")
    void variantsSideBySide() throws Exception {
        cache.get(origin, "/v", "Accept-Language", "en");
        ContentResponse french = cache.get(origin, "/v", "Accept-Language", "fr");
        ContentResponse english = cache.get(origin, "/v", "Accept-Language", "en");
        ContentResponse frenchAgain = cache.get(origin, "/v", "Accept-Language", "fr");
        ContentResponse none = cache.get(origin, "/v");

        assertEquals("OpenCache; fwd=vary-miss; stored", cacheStatus(french));
        assertEquals("OpenCache; hit", cacheStatus(english));
        assertEquals("body for en null", english.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(frenchAgain));
        assertEquals("body for fr null", frenchAgain.getContentAsString());
        assertEquals("OpenCache; fwd=vary-miss; stored", cacheStatus(none));
        assertEquals(3, origin.requests("/v"));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: field values are normalised: lines combined, whitespace around commas ignored")
    void normalisedValues() throws Exception {
        cache.get(origin, "/v", "Accept-Language", "en,fr", "X-Mode", "a");
        ContentResponse sameVariant = cache.get(origin, "/v", "Accept-Language", "en ,  fr", "X-Mode", "a");
        ContentResponse splitLines = cache.send("GET", origin.authority(), "/v", "Accept-Language", "en",
                "Accept-Language", "fr", "X-Mode", "a");
        ContentResponse otherMode = cache.get(origin, "/v", "Accept-Language", "en, fr", "X-Mode", "b");

        assertEquals("OpenCache; hit", cacheStatus(sameVariant));
        assertEquals("OpenCache; hit", cacheStatus(splitLines));
        assertEquals("OpenCache; fwd=vary-miss; stored", cacheStatus(otherMode));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: Accept-Language, Accept-Encoding and Accept compare in their normal form")
    void knownListFieldsAreNormalised() throws Exception {
        origin.route("/n", TestOrigin.ok("negotiated", "Cache-Control", "max-age=60",
                "Vary", "Accept-Language, Accept-Encoding, Accept"));
        cache.get(origin, "/n", "Accept-Language", "en, de", "Accept-Encoding", "gzip, br",
                "Accept", "text/html, */*;q=0.8");

        ContentResponse reordered = cache.get(origin, "/n", "Accept-Language", "DE,en", "Accept-Encoding", "BR ,gzip",
                "Accept", "*/* ; q=0.80, Text/HTML");
        ContentResponse otherWeights = cache.get(origin, "/n", "Accept-Language", "de, en;q=0.5",
                "Accept-Encoding", "gzip, br", "Accept", "text/html, */*;q=0.8");

        assertEquals("OpenCache; hit", cacheStatus(reordered));
        assertEquals("negotiated", reordered.getContentAsString());
        assertEquals("OpenCache; fwd=vary-miss; stored", cacheStatus(otherWeights));
        assertEquals(2, origin.requests("/n"));
    }

    @Test
    @DisplayName("RFC 9111 §4.4: invalidating the URL invalidates every variant")
    void invalidationCoversVariants() throws Exception {
        cache.get(origin, "/v", "Accept-Language", "en");
        cache.get(origin, "/v", "Accept-Language", "fr");

        cache.send("DELETE", origin.authority(), "/v");
        cache.get(origin, "/v", "Accept-Language", "en");
        ContentResponse french = cache.get(origin, "/v", "Accept-Language", "fr");

        assertEquals("OpenCache; fwd=vary-miss; stored", cacheStatus(french));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: Vary: * never matches and is not stored")
    void varyStar() throws Exception {
        origin.route("/star", TestOrigin.ok("any", "Cache-Control", "max-age=60", "Vary", "*"));

        cache.get(origin, "/star");
        ContentResponse again = cache.get(origin, "/star");

        assertEquals("OpenCache; fwd=miss", cacheStatus(again));
    }
}
