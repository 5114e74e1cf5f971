package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;
import org.opencache.testing.Ports;
import org.opencache.testing.TestOrigin;

/** A dead, slow, or broken origin: the client gets a prompt, honest answer and nothing bad is stored. */
class OriginFailureIT extends ThreePartyTest {
    @Test
    void refusedConnectionIsA502WithinASecond() throws Exception {
        int closedPort = Ports.free();
        cache = CacheFixture.start("127.0.0.1:" + closedPort);

        long start = System.nanoTime();
        ContentResponse response = cache.send("GET", "127.0.0.1:" + closedPort, "/a");

        assertTrue(elapsed(start).toMillis() < 1_000, "took " + elapsed(start));
        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-unreachable", cacheStatus(response));
        assertTrue(response.getContentAsString().startsWith("502 Bad Gateway: "), response.getContentAsString());
        cache.awaitCounted(1);
        assertEquals(1, cache.counters.originErrors(), "counted as an origin error");
        assertEquals(0, cache.counters.misses(), "not as a miss");
        assertEquals(0, cache.counters.missBytes());
    }

    @Test
    void originThatNeverAnswersIsA504WithinTheTimeout() throws Exception {
        origin.route("/slow", (request, response, callback) -> {
            release.await(10, TimeUnit.SECONDS);
            TestOrigin.ok("too late").handle(request, response, callback);
        });
        cache = CacheFixture.start(origin.authority(), Duration.ZERO, 0, Duration.ofMillis(500));

        long start = System.nanoTime();
        ContentResponse response = cache.get(origin, "/slow");

        assertTrue(elapsed(start).toMillis() < 2_000, "took " + elapsed(start));
        assertEquals(504, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-timeout", cacheStatus(response));
    }

    @Test
    void originThatStallsMidBodyAbortsTheClientsResponseWithinTheTimeout() throws Exception {
        origin.route("/stall", (request, response, callback) -> {
            // Over HeldHead.LIMIT: the head goes out before the body, which then stops.
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap("12345".getBytes()));
            release.await(10, TimeUnit.SECONDS);
            callback.succeeded();
        });
        cache = CacheFixture.start(origin.authority(), Duration.ZERO, 0, Duration.ofMillis(500));

        long start = System.nanoTime();
        assertThrows(ExecutionException.class, () -> cache.get(origin, "/stall"));

        assertTrue(elapsed(start).toMillis() < 2_000, "took " + elapsed(start));
        assertEquals(0, cache.store.commits());
        assertEquals(1, cache.store.aborts());
    }

    @Test
    void originThatStallsInASmallBodyIsA504BeforeAnythingWasSent() throws Exception {
        origin.route("/stall", (request, response, callback) -> {
            // Within HeldHead.LIMIT: the head waits for the store's commit, so nothing has gone out.
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 10);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap("12345".getBytes()));
            release.await(10, TimeUnit.SECONDS);
            callback.succeeded();
        });
        cache = CacheFixture.start(origin.authority(), Duration.ZERO, 0, Duration.ofMillis(500));

        long start = System.nanoTime();
        ContentResponse response = cache.get(origin, "/stall");

        assertTrue(elapsed(start).toMillis() < 2_000, "took " + elapsed(start));
        assertEquals(504, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-timeout", cacheStatus(response));
        assertEquals(0, cache.store.commits());
    }

    @Test
    void smallBodyAbortedMidwayIsA502AndNotStored() throws Exception {
        origin.route("/broken", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 1000);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap(new byte[100]));
            callback.failed(new IllegalStateException("origin broke off"));
        });
        cache = CacheFixture.start(origin.authority());

        ContentResponse response = cache.get(origin, "/broken");

        assertEquals(502, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-error", cacheStatus(response));
        assertEquals(0, cache.store.commits());
        cache.awaitCounted(1);
        assertEquals(1, cache.counters.originErrors());
    }

    @Test
    void bodyAbortedMidwayReachesTheClientIncompleteAndIsNotStored() throws Exception {
        origin.route("/broken", (request, response, callback) -> {
            // Over HeldHead.LIMIT: the head has gone out when the origin breaks off.
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap(new byte[100]));
            callback.failed(new IllegalStateException("origin broke off"));
        });
        cache = CacheFixture.start(origin.authority());

        assertThrows(ExecutionException.class, () -> cache.get(origin, "/broken"));
        assertThrows(ExecutionException.class, () -> cache.get(origin, "/broken"));

        assertEquals(2, origin.requests("/broken"));
        assertEquals(0, cache.store.commits());
        assertEquals(2, cache.store.aborts());
        cache.awaitCounted(2);
        assertEquals(2, cache.counters.originErrors(), "a body broken off midway is the origin's failure");
        assertEquals(0, cache.counters.misses());
    }

    @Test
    void objectOverTheItemSizeIsRelayedWholeButNotStored() throws Exception {
        String big = "x".repeat(1000);
        origin.route("/big", TestOrigin.ok(big, "Cache-Control", "max-age=60"));
        cache = CacheFixture.start(origin.authority(), Duration.ZERO, 100, Duration.ofSeconds(2));

        ContentResponse first = cache.get(origin, "/big");
        ContentResponse second = cache.get(origin, "/big");

        assertEquals(big, first.getContentAsString());
        assertEquals(big, second.getContentAsString());
        assertEquals(2, origin.requests("/big"));
        assertEquals(0, cache.store.commits());
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
