package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Clients' own conditional requests, and how the cache keeps its stored headers current. */
class ConditionalIT extends ThreePartyTest {
    private static final String LAST_MODIFIED = "Mon, 02 Nov 2026 10:00:00 GMT";

    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/c", TestOrigin.ok("conditional", "ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED,
                "Cache-Control", "max-age=60", "Content-Type", "text/plain", "X-Extra", "1"));
        cache.get(origin, "/c");
    }

    @Test
    @DisplayName("RFC 9111 §4.3.2: a matching If-None-Match is answered 304 from the store")
    void ifNoneMatchFromStore() throws Exception {
        ContentResponse notModified = cache.get(origin, "/c", "If-None-Match", "\"v0\", W/\"v1\"");

        assertEquals(304, notModified.getStatus());
        assertEquals("OpenCache; hit", cacheStatus(notModified));
        assertEquals("\"v1\"", notModified.getHeaders().get(HttpHeader.ETAG));
        assertEquals("max-age=60", notModified.getHeaders().get(HttpHeader.CACHE_CONTROL));
        assertNull(notModified.getHeaders().get("X-Extra"));
        assertEquals(0, notModified.getContent().length);
        assertEquals(1, origin.requests("/c"));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.2: a non-matching If-None-Match gets the stored 200")
    void ifNoneMatchMismatch() throws Exception {
        ContentResponse full = cache.get(origin, "/c", "If-None-Match", "\"v2\"", "If-Modified-Since", LAST_MODIFIED);

        assertEquals(200, full.getStatus());
        assertEquals("conditional", full.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9111 §4.3.2: If-Modified-Since is evaluated against the stored Last-Modified")
    void ifModifiedSinceFromStore() throws Exception {
        ContentResponse notModified = cache.get(origin, "/c", "If-Modified-Since", LAST_MODIFIED);
        ContentResponse modified = cache.get(origin, "/c", "If-Modified-Since", "Mon, 02 Nov 2026 09:59:59 GMT");

        assertEquals(304, notModified.getStatus());
        assertEquals(200, modified.getStatus());
        assertEquals(1, origin.requests("/c"));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.2: a HEAD's conditional is answered from the store too")
    void headConditional() throws Exception {
        ContentResponse notModified = cache.send("HEAD", origin.authority(), "/c", "If-None-Match", "\"v1\"");

        assertEquals(304, notModified.getStatus());
        assertEquals(1, origin.requests("/c"));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.1, §4.3.2: a stale object is revalidated with our validators, then the client's apply")
    void staleRevalidatedThenClientConditional() throws Exception {
        origin.route("/c", (request, response, callback) -> {
            boolean matches = "\"v1\"".equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH));
            TestOrigin.respond(matches ? 304 : 200, matches ? "" : "conditional", "ETag", "\"v1\"",
                    "Cache-Control", "max-age=60").handle(request, response, callback);
        });
        cache.clock.advance(Duration.ofSeconds(61));

        ContentResponse notModified = cache.get(origin, "/c", "If-None-Match", "\"v1\"");

        assertEquals(304, notModified.getStatus());
        assertEquals("OpenCache; fwd=stale; fwd-status=304", cacheStatus(notModified));
        assertEquals("\"v1\"", origin.last("/c").fields().get(HttpHeader.IF_NONE_MATCH));
        assertEquals(LAST_MODIFIED, origin.last("/c").fields().get(HttpHeader.IF_MODIFIED_SINCE));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.4: a 304 naming another representation is not used; the cache asks again")
    void mismatched304() throws Exception {
        origin.route("/c", (request, response, callback) -> {
            if (request.getHeaders().get(HttpHeader.IF_NONE_MATCH) != null) {
                TestOrigin.respond(304, "", "ETag", "\"v2\"").handle(request, response, callback);
            } else {
                TestOrigin.ok("second version", "ETag", "\"v2\"", "Cache-Control", "max-age=60")
                        .handle(request, response, callback);
            }
        });
        cache.clock.advance(Duration.ofSeconds(61));

        ContentResponse refetched = cache.get(origin, "/c");

        assertEquals("second version", refetched.getContentAsString());
        assertEquals(3, origin.requests("/c"));
        assertNull(origin.last("/c").fields().get(HttpHeader.IF_NONE_MATCH));
    }

    @Test
    @DisplayName("RFC 9110 §13.2.1: If-Match and If-Unmodified-Since are left to the origin")
    void originPreconditionsAreRelayed() throws Exception {
        ContentResponse relayed = cache.get(origin, "/c", "If-Match", "\"v1\"");

        assertEquals("OpenCache; fwd=bypass", cacheStatus(relayed));
        assertEquals("\"v1\"", origin.last("/c").fields().get(HttpHeader.IF_MATCH));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.5: a HEAD response with the same validator updates the stored GET")
    void headUpdatesStoredHeaders() throws Exception {
        origin.route("/c", TestOrigin.ok("conditional", "ETag", "\"v1\"", "Cache-Control", "max-age=60",
                "X-Extra", "2"));

        ContentResponse head = cache.send("HEAD", origin.authority(), "/c", "Cache-Control", "no-cache");
        ContentResponse hit = cache.get(origin, "/c");

        assertEquals("OpenCache; fwd=request", cacheStatus(head));
        assertEquals("2", hit.getHeaders().get("X-Extra"));
        assertEquals("OpenCache; hit", cacheStatus(hit));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.5: a HEAD response with another validator invalidates the stored GET")
    void headInvalidates() throws Exception {
        origin.route("/c", TestOrigin.ok("changed", "ETag", "\"v9\"", "Cache-Control", "max-age=60"));

        cache.send("HEAD", origin.authority(), "/c", "Cache-Control", "no-cache");
        ContentResponse after = cache.get(origin, "/c");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(after));
        assertEquals("changed", after.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §13.1.2, RFC 9111 §4.3.2: on a miss the client's If-None-Match meets the origin's 200")
    void missWithMatchingConditional() throws Exception {
        origin.route("/n", TestOrigin.ok("new object", "ETag", "\"n1\"", "Cache-Control", "max-age=60"));

        ContentResponse notModified = cache.get(origin, "/n", "If-None-Match", "\"n1\"");
        ContentResponse hit = cache.get(origin, "/n");

        assertEquals(304, notModified.getStatus());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(notModified));
        assertNull(origin.last("/n").fields().get(HttpHeader.IF_NONE_MATCH));
        assertEquals("new object", hit.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §13.1.2: a PUT's If-None-Match is the origin's to evaluate, never the cache's")
    void unsafeConditionalLeftToTheOrigin() throws Exception {
        origin.route("/c", TestOrigin.respond(201, "created", "ETag", "\"v2\""));

        ContentResponse created = cache.send("PUT", origin.authority(), "/c", "If-None-Match", "*");

        assertEquals(201, created.getStatus());
        assertEquals("*", origin.last("/c").fields().get(HttpHeader.IF_NONE_MATCH));
    }
}
