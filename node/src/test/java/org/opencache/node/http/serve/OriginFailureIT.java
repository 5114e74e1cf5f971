package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.node.http.rules.CacheKeys;
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
    @DisplayName("origin_read_timeout: an origin silent mid-body ends the client's response after the timeout, and nothing is stored")
    void originThatStallsMidBodyAbortsTheClientsResponseAfterTheReadTimeout() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        origin.route("/stall", (request, response, callback) -> {
            // Over HeldHead.LIMIT: the head goes out before the body, which then stops.
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            if (requests.incrementAndGet() > 1) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 10);
                Content.Sink.write(response, true, "1234567890", callback);
                return;
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
            Content.Sink.write(response, false, ByteBuffer.wrap("12345".getBytes()));
            release.await(10, TimeUnit.SECONDS);
            callback.succeeded();
        });
        cache = CacheFixture.start(origin.authority(), Duration.ZERO, 0, Duration.ofMillis(500));

        long start = System.nanoTime();
        assertThrows(ExecutionException.class, () -> cache.get(origin, "/stall"));
        Duration took = elapsed(start);

        assertTrue(took.toMillis() >= 450 && took.toMillis() < 2_000, "took " + took);
        assertEquals(0, cache.store.commits());
        assertEquals(1, cache.store.aborts());
        ContentResponse next = cache.get(origin, "/stall");
        assertEquals("1234567890", next.getContentAsString());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(next), "the truncated body was not stored");
        assertEquals(2, origin.requests("/stall"));
    }

    @Test
    @DisplayName("an origin connection reset mid-body ends the client's response at once, not after origin_read_timeout")
    void originResetMidBodyEndsTheClientsResponseAtOnce() throws Exception {
        CountDownLatch headersSeen = new CountDownLatch(1);
        AtomicLong resetAt = new AtomicLong();
        try (ServerSocket resetting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket connection = resetting.accept()) {
                    readHead(connection.getInputStream());
                    // Over HeldHead.LIMIT, so the head goes out before the reset.
                    connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n"
                            + "Cache-Control: max-age=60\r\n\r\n" + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                    headersSeen.await(5, TimeUnit.SECONDS);
                    connection.setSoLinger(true, 0); // close() now sends a RST
                    resetAt.set(System.nanoTime());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            String authority = "127.0.0.1:" + resetting.getLocalPort();
            cache = CacheFixture.start(authority, Duration.ZERO, 0, Duration.ofSeconds(10));

            ExecutionException broken = assertThrows(ExecutionException.class,
                    () -> cache.request("GET", authority, "/reset").onResponseHeaders(r -> headersSeen.countDown()).send());

            Duration afterReset = elapsed(resetAt.get());
            assertTrue(afterReset.toMillis() < 1_000, "ended " + afterReset + " after the reset: " + broken);
            assertEquals(0, cache.store.commits());
            assertEquals(1, cache.store.aborts());
            assertTrue(cache.store.lookup(CacheKeys.key(cache.instance, "127.0.0.1", resetting.getLocalPort(), "/reset"))
                    .isEmpty());
        }
    }

    // Reads a request head (up to the empty line) off an origin's connection.
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the request ended before its head did");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
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
