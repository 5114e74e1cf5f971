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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
        assertEquals(1, cache.counters.misses());
        assertEquals(response.getContent().length, cache.counters.missBytes());
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
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 10);
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
    void bodyAbortedMidwayReachesTheClientIncompleteAndIsNotStored() throws Exception {
        origin.route("/broken", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 1000);
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
        assertEquals(2, cache.counters.misses());
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

    @ParameterizedTest(name = "{0} bytes of fields")
    @ValueSource(ints = {ClientHttpConfiguration.RELAYABLE_FIELD_BYTES + 100, 3 * ClientHttpConfiguration.RESPONSE_HEADER_SIZE})
    @DisplayName("fields the cache cannot write to a client: a 502 as nginx's \"upstream sent too big header\", nothing stored")
    void originFieldsTooBigToRelayAreA502AndNotStored(int size) throws Exception {
        origin.route("/fat", TestOrigin.ok("fat", "Cache-Control", "max-age=60", "X-Fat", "f".repeat(size)));
        cache = CacheFixture.start(origin.authority());

        for (int attempt = 1; attempt <= 2; attempt++) {
            ContentResponse response = cache.get(origin, "/fat");

            assertEquals(502, response.getStatus(), response.getContentAsString());
            assertTrue(response.getContentAsString().contains("upstream sent too big header"),
                    response.getContentAsString());
            assertEquals("OpenCache; fwd=miss; detail=origin-header-too-large", cacheStatus(response));
            assertEquals(attempt, origin.requests("/fat"), "not stored: each request asks the origin");
        }
        assertEquals(0, cache.store.commits());
        // Relayed uncached (a POST), the same answer.
        ContentResponse relayed = cache.send("POST", origin.authority(), "/fat");
        assertEquals(502, relayed.getStatus());
        assertEquals("OpenCache; fwd=method; detail=origin-header-too-large", cacheStatus(relayed));
    }

    @Test
    void originFieldsJustWithinTheLimitAreStoredAndServed() throws Exception {
        // With the largest Cache-Status the cache writes (a 206 of a revalidated response) still fitting.
        String filler = "f".repeat(ClientHttpConfiguration.RELAYABLE_FIELD_BYTES - 200);
        origin.route("/full", TestOrigin.ok("0123456789", "Cache-Control", "max-age=60", "X-Full", filler));
        cache = CacheFixture.start(origin.authority());

        ContentResponse miss = cache.get(origin, "/full");
        ContentResponse hit = cache.get(origin, "/full", "Range", "bytes=2-3");

        assertEquals(200, miss.getStatus());
        assertEquals(206, hit.getStatus());
        assertEquals("23", hit.getContentAsString());
        assertEquals(filler, hit.getHeaders().get("X-Full"));
        assertEquals(1, origin.requests("/full"));
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
