package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.testing.TestOrigin;

/**
 * HTTP {@code PURGE} on an instance port, over the node's real store on disk and a real origin:
 * it drops every stored variant of the URL (RFC 9111 §4.1 variants included), answers 200 with
 * the count, 404 when nothing was stored (as Squid), and 403 to clients outside
 * {@code purge_allow}, whose default is nobody. A fill in flight when the purge arrives is not
 * stored, so the purged URL goes to the origin again.
 */
class PurgeIT extends ThreePartyTest {
    @TempDir
    Path dir;
    private TieredObjectStore store;

    private void start(String... purgeAllow) throws Exception {
        store = TieredObjectStore.open(dir, 1 << 20, 0, 0, 64, Clock.systemUTC());
        cache = CacheFixture.purging(store, origin.authority(), purgeAllow);
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

    private ContentResponse purge(String target) throws Exception {
        return cache.send("PURGE", origin.authority(), target);
    }

    @Test
    void purgeDropsTheUrlAndTheNextRequestGoesToTheOrigin() throws Exception {
        origin.route("/a", TestOrigin.ok("a", "Cache-Control", "max-age=60"));
        origin.route("/b", TestOrigin.ok("b", "Cache-Control", "max-age=60"));
        start("127.0.0.1/32");
        cache.get(origin, "/a");
        cache.get(origin, "/b");
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/a")));

        ContentResponse purged = purge("/a");

        assertEquals(200, purged.getStatus());
        assertEquals("{\"purged\": 1}\n", purged.getContentAsString());
        assertTrue(store.lookup(cache.key(origin, "/a")).isEmpty(), "gone from the store");
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(cache.get(origin, "/a")));
        assertEquals(2, origin.requests("/a"));
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/b")), "other URLs stay");
        assertTrue(origin.seen("/a").stream().noneMatch(seen -> seen.method().equals("PURGE")), "PURGE is never relayed");
    }

    @Test
    void purgeOfNothingStoredIs404() throws Exception {
        start("127.0.0.0/8");

        ContentResponse purged = purge("/never");

        assertEquals(404, purged.getStatus());
        assertEquals("{\"purged\": 0}\n", purged.getContentAsString());
        assertEquals(0, origin.requests());
    }

    @Test
    void purgeDropsEveryVariant() throws Exception {
        origin.route("/v", (request, response, callback) -> {
            String coding = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
            Content.Sink.write(response, true, "body for " + coding, callback);
        });
        start("127.0.0.1");
        cache.get(origin, "/v", "Accept-Encoding", "gzip");
        cache.get(origin, "/v", "Accept-Encoding", "br");
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/v", "Accept-Encoding", "gzip")));
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/v", "Accept-Encoding", "br")));

        ContentResponse purged = purge("/v");

        assertEquals(200, purged.getStatus());
        assertEquals("{\"purged\": 3}\n", purged.getContentAsString(), "two variants and the URL's own entry");
        assertEquals(0, store.keys(), "nothing of the URL is left on disk");
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(cache.get(origin, "/v", "Accept-Encoding", "br")));
        assertEquals("OpenCache; fwd=vary-miss; stored",
                cacheStatus(cache.get(origin, "/v", "Accept-Encoding", "gzip")));
        assertEquals(4, origin.requests("/v"));
    }

    @Test
    void purgeIsRefusedToEveryoneByDefault() throws Exception {
        origin.route("/a", TestOrigin.ok("a", "Cache-Control", "max-age=60"));
        start();
        cache.get(origin, "/a");

        ContentResponse refused = purge("/a");

        assertEquals(403, refused.getStatus());
        assertTrue(refused.getContentAsString().contains("purge_allow is empty"), refused.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/a")), "still stored");
    }

    @Test
    void purgeFromOutsidePurgeAllowIsRefused() throws Exception {
        origin.route("/a", TestOrigin.ok("a", "Cache-Control", "max-age=60"));
        start("10.0.0.0/8", "::1");
        cache.get(origin, "/a");

        ContentResponse refused = purge("/a");

        assertEquals(403, refused.getStatus());
        assertTrue(refused.getContentAsString().contains("not from 127.0.0.1"), refused.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/a")), "still stored");
    }

    @Test
    void aFillInFlightWhenThePurgeArrivesIsNotStored() throws Exception {
        origin.route("/slow", (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            Content.Sink.write(response, false, ByteBuffer.wrap("first;".getBytes(StandardCharsets.UTF_8)));
            release.await(10, TimeUnit.SECONDS);
            Content.Sink.write(response, true, "second", callback);
        });
        start("127.0.0.1");
        CountDownLatch firstChunk = new CountDownLatch(1);
        CompletableFuture<ContentResponse> fill = new CompletableResponseListener(cache.request("GET",
                origin.authority(), "/slow").onResponseContent((response, content) -> firstChunk.countDown())).send();
        assertTrue(firstChunk.await(5, TimeUnit.SECONDS), "the fill is under way");

        ContentResponse purged = purge("/slow");
        release.countDown();
        ContentResponse filled = fill.get(5, TimeUnit.SECONDS);
        cache.awaitCounted(1); // counted after its last write, which follows the store's commit

        assertEquals(404, purged.getStatus(), "nothing was stored yet");
        assertEquals("first;second", filled.getContentAsString(), "the client of the fill gets its response");
        assertTrue(store.lookup(cache.key(origin, "/slow")).isEmpty(), "the fill's commit did not bring it back");
        assertTrue(cacheStatus(cache.get(origin, "/slow")).startsWith("OpenCache; fwd=miss"), "not served from the store");
        assertEquals(2, origin.requests("/slow"));
    }
}
