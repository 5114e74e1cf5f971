package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.node.store.TinyFilesystem;
import org.opencache.testing.TestOrigin;

/**
 * RFC 9211 §2.5: {@code stored} says the cache stored the response. Over the node's real store,
 * {@code Cache-Status} says what the store did (issue 17 item 12): {@code stored} only when it
 * committed the body before the head went out (a small body of known length is held back for
 * that), a {@code detail} naming the refusal when it is known by then ({@code too-large},
 * {@code not-admitted}, {@code disk-full}), and {@code detail=storing}, no promise, for a body
 * that streams.
 */
class StoreOutcomeIT extends ThreePartyTest {
    @TempDir
    Path dir;
    private TieredObjectStore store;

    private void start(long maxDisk, long maxItemSize) throws Exception {
        store = TieredObjectStore.open(dir, 1 << 20, maxDisk, maxItemSize, 64, Clock.systemUTC());
        cache = CacheFixture.over(store, origin.authority());
    }

    @AfterEach
    void closeStore() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aSmallBodyIsStoredBeforeItsHeadSaysSo() throws Exception {
        origin.route("/small", TestOrigin.ok("small", "Cache-Control", "max-age=60"));
        start(0, 0);

        ContentResponse miss = cache.get(origin, "/small");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(miss));
        assertTrue(store.lookup(cache.key(origin, "/small")).isPresent(), "stored when the head said so");
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/small")));
    }

    @Test
    void aBodyAnnouncedOverMaxItemSizeSaysTooLarge() throws Exception {
        origin.route("/big", TestOrigin.ok("x".repeat(1000), "Cache-Control", "max-age=60"));
        start(0, 100);

        ContentResponse first = cache.get(origin, "/big");
        ContentResponse second = cache.get(origin, "/big");

        assertEquals("x".repeat(1000), first.getContentAsString());
        assertEquals("OpenCache; fwd=miss; detail=too-large", cacheStatus(first));
        assertEquals("OpenCache; fwd=miss; detail=too-large", cacheStatus(second));
        assertEquals(2, origin.requests("/big"));
    }

    @Test
    void anUnannouncedBodyPromisesNothingAndOverMaxItemSizeIsNotStored() throws Exception {
        origin.route("/chunked", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            // Two writes without a Content-Length: the body is chunked.
            Content.Sink.write(response, false, ByteBuffer.wrap("x".repeat(600).getBytes(StandardCharsets.US_ASCII)));
            response.write(true, ByteBuffer.wrap("y".repeat(600).getBytes(StandardCharsets.US_ASCII)), callback);
        });
        start(0, 1000);

        ContentResponse first = cache.get(origin, "/chunked");

        assertEquals(1200, first.getContent().length);
        assertEquals("OpenCache; fwd=miss; detail=storing", cacheStatus(first));
        assertEquals("OpenCache; fwd=miss; detail=storing", cacheStatus(cache.get(origin, "/chunked")),
                "it was not stored");
        assertEquals(2, origin.requests("/chunked"));
    }

    @Test
    void aLargeBodyStreamsWithoutAPromiseAndIsStored() throws Exception {
        origin.route("/large", TestOrigin.ok("z".repeat(200_000), "Cache-Control", "max-age=60"));
        start(0, 0);

        ContentResponse miss = cache.get(origin, "/large");

        assertEquals("OpenCache; fwd=miss; detail=storing", cacheStatus(miss));
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/large")));
    }

    @Test
    void aNewcomerTheFullStoreDoesNotAdmitSaysNotAdmitted() throws Exception {
        origin.routeAll(TestOrigin.describe());
        start(64 * 1024, 0);

        // Objects asked for once fill the store; once it has evicted some, a newcomer asked for
        // no more often than they were is not admitted (TinyLFU).
        String refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            ContentResponse response = cache.get(origin, "/o" + i + "?body-size=1000");
            String status = cacheStatus(response);
            if (status.equals("OpenCache; fwd=miss; detail=not-admitted")) {
                refused = "/o" + i + "?body-size=1000";
                assertTrue(store.lookup(cache.key(origin, refused)).isEmpty(), "not stored");
            } else {
                assertEquals("OpenCache; fwd=miss; stored", status, "/o" + i);
            }
        }
        assertTrue(refused != null, "a newcomer was refused");
    }

    @Test
    void aFullDiskSaysDiskFullAndStoresAgainOnceThereIsRoom() throws Exception {
        try (TinyFilesystem fs = TinyFilesystem.mount(dir, 1 << 20)) {
            Path ballast = fs.fillLeaving(8192);
            origin.routeAll(TestOrigin.describe());
            start(8 << 20, 0);

            ContentResponse held = cache.get(origin, "/a?body-size=30000");
            ContentResponse known = cache.get(origin, "/b?body-size=100000");

            assertEquals("OpenCache; fwd=miss; detail=disk-full", cacheStatus(held), "found full at commit");
            assertEquals("OpenCache; fwd=miss; detail=disk-full", cacheStatus(known), "known full before the body");
            assertEquals(100_000, known.getContent().length);

            Files.delete(ballast);
            assertEquals("OpenCache; fwd=miss; stored", cacheStatus(cache.get(origin, "/a?body-size=30000")));
            cache.close();
            cache = null;
            store.close();
            store = null;
        }
    }
}
