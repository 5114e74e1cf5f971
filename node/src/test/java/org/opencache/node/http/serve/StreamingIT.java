package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

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
        routeSlowly("/popular", body);

        List<String> statuses = concurrentGets(100, "/popular", body);

        assertEquals(1, origin.requests("/popular"));
        assertEquals(99, statuses.stream().filter("OpenCache; hit"::equals).count());
        cache.awaitCounted(100);
        assertEquals(99, cache.counters.hits());
        assertEquals(1, cache.counters.misses());
        assertEquals(100L * body.length(), cache.counters.hitBytes() + cache.counters.missBytes());
    }

    @Test
    void followersAreServedTheLeadersResponseWhenTheStoreDoesNotKeepIt() throws Exception {
        cache.store.keepNothing();
        String body = "refused ".repeat(500);
        routeSlowly("/refused", body);

        List<String> statuses = concurrentGets(20, "/refused", body);

        assertEquals(1, origin.requests("/refused"));
        assertEquals(19, statuses.stream().filter("OpenCache; fwd=miss; collapsed"::equals).count());
        assertEquals(0, cache.store.commits(), "the store kept nothing");
    }

    @Test
    void followersOfAnotherVariantDoNotGetTheUnkeptResponse() throws Exception {
        cache.store.keepNothing();
        origin.route("/varied", (request, response, callback) -> {
            release.await(10, TimeUnit.SECONDS);
            String language = request.getHeaders().get("Accept-Language");
            TestOrigin.ok("in " + language, "Cache-Control", "max-age=60", "Vary", "Accept-Language")
                    .handle(request, response, callback);
        });
        CompletableFuture<ContentResponse> leader = new CompletableResponseListener(
                cache.request("GET", origin.authority(), "/varied").headers(h -> h.put("Accept-Language", "en"))).send();
        Await.until("the leader's request at the origin", Duration.ofSeconds(5), () -> origin.requests("/varied") > 0);
        List<CompletableFuture<ContentResponse>> followers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            followers.add(new CompletableResponseListener(cache.request("GET", origin.authority(), "/varied")
                    .headers(h -> h.put("Accept-Language", "fr"))).send());
        }
        Await.until("3 followers in the leader's flight", Duration.ofSeconds(5),
                () -> cache.handler.followers(cache.key(origin, "/varied")) == 3);
        release.countDown();

        assertEquals("in en", leader.get(10, TimeUnit.SECONDS).getContentAsString());
        for (CompletableFuture<ContentResponse> follower : followers) {
            ContentResponse done = follower.get(10, TimeUnit.SECONDS);
            assertEquals("in fr", done.getContentAsString());
            // Each asked the origin itself, and the store kept nothing: it says so (issue 17 item 12).
            assertEquals("OpenCache; fwd=miss; detail=not-admitted", cacheStatus(done));
        }
        assertEquals(4, origin.requests("/varied"));
    }

    /** A cacheable {@code body} at {@code path}, answered after 500 ms: long enough for concurrent requests to queue up. */
    private void routeSlowly(String path, String body) {
        origin.route(path, (request, response, callback) -> {
            release.await(500, TimeUnit.MILLISECONDS);
            TestOrigin.ok(body, "Cache-Control", "max-age=60").handle(request, response, callback);
        });
    }

    /** Sends {@code count} GETs for {@code target} at once; checks each got {@code body}; returns their Cache-Status. */
    private List<String> concurrentGets(int count, String target, String body) throws Exception {
        List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(new CompletableResponseListener(cache.request("GET", origin.authority(), target), 1 << 20).send());
        }
        List<String> statuses = new ArrayList<>();
        for (CompletableFuture<ContentResponse> response : responses) {
            ContentResponse done = response.get(10, TimeUnit.SECONDS);
            assertEquals(200, done.getStatus());
            assertEquals(body, done.getContentAsString());
            statuses.add(cacheStatus(done));
        }
        return statuses;
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
