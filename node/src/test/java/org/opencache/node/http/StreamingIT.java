package org.opencache.node.http;

import org.opencache.node.TestOrigin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Misses stream to the client as they arrive, and concurrent misses share one origin request. */
class StreamingIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    void missReachesTheClientChunkByChunkBeforeTheOriginHasFinished() throws Exception {
        origin.route("/stream", (request, response, callback) -> {
            response.getHeaders().put("Cache-Control", "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap("first chunk;".getBytes(StandardCharsets.UTF_8)));
            release.await(10, TimeUnit.SECONDS);
            Content.Sink.write(response, true, "second chunk", callback);
        });
        CountDownLatch firstChunk = new CountDownLatch(1);
        StringBuilder received = new StringBuilder();
        Request request = cache.request("GET", origin.authority(), "/stream").onResponseContent((response, content) -> {
            received.append(StandardCharsets.UTF_8.decode(content));
            firstChunk.countDown();
        });

        CompletableFuture<ContentResponse> whole = new CompletableResponseListener(request).send();

        assertTrue(firstChunk.await(5, TimeUnit.SECONDS), "the first chunk must arrive while the origin is blocked");
        assertEquals("first chunk;", received.toString());
        release.countDown();
        assertEquals(200, whole.get(5, TimeUnit.SECONDS).getStatus());
        assertEquals("first chunk;second chunk", received.toString());
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/stream")));
        assertEquals(1, origin.requests("/stream"));
    }

    @Test
    void objectIsStillStoredWhenTheClientLeavesMidTransfer() throws Exception {
        origin.route("/long", (request, response, callback) -> {
            response.getHeaders().put("Cache-Control", "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap("begin;".getBytes(StandardCharsets.UTF_8)));
            release.await(10, TimeUnit.SECONDS);
            Content.Sink.write(response, false, ByteBuffer.wrap("middle;".repeat(10_000).getBytes(StandardCharsets.UTF_8)));
            Content.Sink.write(response, true, "end", callback);
        });
        Request leaving = cache.request("GET", origin.authority(), "/long");
        leaving.onResponseContent((response, content) -> response.abort(new IllegalStateException("client left")));

        CompletableFuture<ContentResponse> left = new CompletableResponseListener(leaving).send();
        assertThrows(ExecutionException.class, () -> left.get(5, TimeUnit.SECONDS));
        release.countDown();
        ContentResponse next = cache.get(origin, "/long");

        assertEquals("OpenCache; hit", cacheStatus(next));
        assertTrue(next.getContentAsString().startsWith("begin;middle;") && next.getContentAsString().endsWith("end"));
        assertEquals(1, origin.requests("/long"));
    }

    @Test
    void hundredConcurrentMissesForOneUrlMakeOneOriginRequest() throws Exception {
        String body = "popular ".repeat(1000);
        origin.route("/popular", (request, response, callback) -> {
            // Long enough for the other requests to arrive and queue up behind this one.
            release.await(500, TimeUnit.MILLISECONDS);
            TestOrigin.ok(body, "Cache-Control", "max-age=60").handle(request, response, callback);
        });

        List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(new CompletableResponseListener(
                    cache.request("GET", origin.authority(), "/popular"), 1 << 20).send());
        }

        int hits = 0;
        for (CompletableFuture<ContentResponse> response : responses) {
            ContentResponse done = response.get(10, TimeUnit.SECONDS);
            assertEquals(200, done.getStatus());
            assertEquals(body, done.getContentAsString());
            hits += cacheStatus(done).equals("OpenCache; hit") ? 1 : 0;
        }
        assertEquals(1, origin.requests("/popular"));
        assertEquals(99, hits);
        cache.awaitCounted(100);
        assertEquals(99, cache.counters.hits());
        assertEquals(1, cache.counters.misses());
        assertEquals(100L * body.length(), cache.counters.hitBytes() + cache.counters.missBytes());
    }

    @Test
    void followersOfAnUncacheableResponseFetchOnTheirOwn() throws Exception {
        origin.route("/private", (request, response, callback) -> {
            release.await(300, TimeUnit.MILLISECONDS);
            TestOrigin.ok("mine", "Cache-Control", "private").handle(request, response, callback);
        });

        List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(new CompletableResponseListener(cache.request("GET", origin.authority(), "/private")).send());
        }

        for (CompletableFuture<ContentResponse> response : responses) {
            ContentResponse done = response.get(10, TimeUnit.SECONDS);
            assertEquals("mine", done.getContentAsString());
            assertEquals("OpenCache; fwd=miss", cacheStatus(done));
        }
        assertEquals(5, origin.requests("/private"));
    }
}
