package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** What is stored and served from the store: three parties on loopback (origin, cache, client). */
class StorabilityIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    void missThenHitAsksTheOriginOnceAndCountsBothExactly() throws Exception {
        origin.route("/a", TestOrigin.ok("hello world", "Cache-Control", "max-age=60"));

        ContentResponse miss = cache.get(origin, "/a");
        cache.clock.advance(Duration.ofSeconds(7));
        ContentResponse hit = cache.get(origin, "/a");

        assertEquals(200, miss.getStatus());
        assertEquals("hello world", miss.getContentAsString());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(miss));
        assertTrue(miss.getHeaders().get(HttpHeader.VIA).contains("1.1 opencache"));
        assertEquals("hello world", hit.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals("7", hit.getHeaders().get(HttpHeader.AGE));
        assertEquals("text/plain", hit.getHeaders().get(HttpHeader.CONTENT_TYPE));
        assertEquals(1, origin.requests("/a"));
        cache.awaitCounted(2);
        assertEquals(1, cache.counters.misses());
        assertEquals(11, cache.counters.missBytes());
        assertEquals(1, cache.counters.hits());
        assertEquals(11, cache.counters.hitBytes());
        assertEquals(2, cache.counters.requests());
    }

    @Test
    void responseWithNoStoreIsNotStored() throws Exception {
        origin.route("/a", TestOrigin.ok("secret", "Cache-Control", "no-store, max-age=60"));
        assertNeitherStoredNorHit("/a");
    }

    @Test
    void privateResponseIsNotStored() throws Exception {
        origin.route("/a", TestOrigin.ok("mine", "Cache-Control", "private, max-age=60"));
        assertNeitherStoredNorHit("/a");
    }

    @Test
    void requestWithNoStoreIsNotStored() throws Exception {
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "max-age=60"));
        assertNeitherStoredNorHit("/a", "Cache-Control", "no-store");
    }

    @Test
    @DisplayName("RFC 9111 §3: a status about the requester, not the resource, passes through, even with max-age")
    void statusOutsideTheStorableSetPassesThrough() throws Exception {
        origin.route("/a", TestOrigin.respond(429, "slow down", "Cache-Control", "max-age=60"));

        ContentResponse first = cache.get(origin, "/a");
        cache.get(origin, "/a");

        assertEquals(429, first.getStatus());
        assertEquals("slow down", first.getContentAsString());
        assertEquals(2, origin.requests("/a"));
        assertEquals(0, cache.store.commits());
    }

    @Test
    @DisplayName("RFC 9111 §3, RFC 9110 §15: an unknown status with explicit freshness is stored as its class's x00")
    void unknownStatusWithExplicitFreshnessIsStored() throws Exception {
        origin.route("/odd", TestOrigin.respond(599, "odd", "Cache-Control", "max-age=60"));

        ContentResponse hit = secondIsAHit("/odd");

        assertEquals(599, hit.getStatus());
        assertEquals("odd", hit.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9111 §3: a 5xx with explicit freshness is stored and reused while fresh, then asked for again")
    void serverErrorWithExplicitFreshnessIsReusedWhileFresh() throws Exception {
        origin.route("/down", TestOrigin.respond(503, "down", "Cache-Control", "max-age=10"));

        ContentResponse hit = secondIsAHit("/down");
        cache.clock.advance(Duration.ofSeconds(11));
        ContentResponse stale = cache.get(origin, "/down");

        assertEquals(503, hit.getStatus());
        assertEquals("down", hit.getContentAsString());
        assertEquals("OpenCache; fwd=stale; fwd-status=503; stored", cacheStatus(stale));
        assertEquals(2, origin.requests("/down"));
    }

    @Test
    @DisplayName("RFC 9111 §3, §4.2.2: a 5xx without explicit freshness gets no heuristic lifetime and is not stored")
    void serverErrorWithoutExplicitFreshnessIsNotStored() throws Exception {
        origin.route("/down", TestOrigin.respond(500, "broken", "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"));
        cache.close();
        cache = CacheFixture.start(origin.authority(), Duration.ofMinutes(5), 0, Duration.ofSeconds(2));

        cache.get(origin, "/down");
        cache.get(origin, "/down");

        assertEquals(2, origin.requests("/down"));
        assertEquals(0, cache.store.commits());
    }

    @Test
    void storableErrorStatusIsStored() throws Exception {
        origin.route("/gone", TestOrigin.respond(410, "gone", "Cache-Control", "max-age=60"));

        assertEquals(410, secondIsAHit("/gone").getStatus());
    }

    @Test
    void storedNoContentResponseIsServedWithoutABodyOrLength() throws Exception {
        origin.route("/empty", TestOrigin.respond(204, "", "Cache-Control", "max-age=60"));

        ContentResponse hit = secondIsAHit("/empty");

        assertEquals(204, hit.getStatus());
        assertEquals(null, hit.getHeaders().get(HttpHeader.CONTENT_LENGTH));
    }

    @Test
    void headIsAnsweredFromAStoredGetWithoutABody() throws Exception {
        origin.route("/a", TestOrigin.ok("twelve bytes", "Cache-Control", "max-age=60"));
        cache.get(origin, "/a");

        ContentResponse head = cache.send("HEAD", origin.authority(), "/a");

        assertEquals(200, head.getStatus());
        assertEquals("OpenCache; hit", cacheStatus(head));
        assertEquals("12", head.getHeaders().get(HttpHeader.CONTENT_LENGTH));
        assertEquals(0, head.getContent().length);
        assertEquals(1, origin.requests("/a"));
        cache.awaitCounted(2);
        assertEquals(0, cache.counters.hitBytes());
    }

    @Test
    void headWithNothingStoredIsRelayedAsHeadAndNotStored() throws Exception {
        origin.route("/a", TestOrigin.ok("body", "Cache-Control", "max-age=60"));

        ContentResponse head = cache.send("HEAD", origin.authority(), "/a");

        assertEquals("OpenCache; fwd=miss", cacheStatus(head));
        assertEquals("HEAD", origin.last("/a").method());
        assertEquals(0, cache.store.commits());
    }

    private ContentResponse secondIsAHit(String target) throws Exception {
        cache.get(origin, target);
        ContentResponse hit = cache.get(origin, target);

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(1, origin.requests(target));
        return hit;
    }

    private void assertNeitherStoredNorHit(String target, String... requestFields) throws Exception {
        ContentResponse first = cache.get(origin, target, requestFields);
        ContentResponse second = cache.get(origin, target, requestFields);

        assertEquals("OpenCache; fwd=miss", cacheStatus(first));
        assertEquals("OpenCache; fwd=miss", cacheStatus(second));
        assertEquals(2, origin.requests(target));
        assertEquals(0, cache.store.commits());
    }
}
