package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.node.http.fill.PrefetchException;
import org.opencache.node.http.fill.Prefetcher;
import org.opencache.testing.Ports;
import org.opencache.testing.TestOrigin;

/** The {@code fetch} and {@code seed} commands store objects exactly as a client's miss would. */
class PrefetcherIT extends ThreePartyTest {
    private Prefetcher prefetcher;

    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        prefetcher = cache.handler.prefetcher();
    }

    @Test
    void fetchedUrlIsThenAHitWithNoFurtherOriginRequest() throws Exception {
        origin.route("/video", TestOrigin.ok("frames", "Cache-Control", "max-age=600"));

        prefetcher.fetch(url("/video")).get(5, TimeUnit.SECONDS);
        ContentResponse response = cache.get(origin, "/video");

        assertEquals("frames", response.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(response));
        assertEquals(1, origin.requests("/video"));
        assertEquals(origin.authority(), origin.last("/video").fields().get("Host"));
    }

    @Test
    void seededUrlsShareOneObjectFetchedOnce() throws Exception {
        origin.route("/a", TestOrigin.ok("shared body", "Cache-Control", "max-age=600"));

        prefetcher.seed(List.of(url("/a"), url("/b"), url("/c?v=1"))).get(5, TimeUnit.SECONDS);

        for (String target : List.of("/a", "/b", "/c?v=1")) {
            ContentResponse response = cache.get(origin, target);
            assertEquals("shared body", response.getContentAsString(), target);
            assertEquals("OpenCache; hit", cacheStatus(response), target);
        }
        assertEquals(1, origin.requests());
        assertEquals(1, cache.store.objectCount(cache.instance));
    }

    @Test
    void fetchOfAnUnreachableOriginFailsNamingTheUrlAndTheCause() throws Exception {
        int closedPort = Ports.free();
        ResolvedUrl url = ResolvedUrl.parse("http://127.0.0.1:" + closedPort + "/x");
        try (CacheFixture closed = CacheFixture.start("127.0.0.1:" + closedPort)) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> closed.handler.prefetcher().fetch(url).get(5, TimeUnit.SECONDS));

            assertInstanceOf(PrefetchException.class, failure.getCause());
            String message = failure.getCause().getMessage();
            assertTrue(message.contains(url.canonical()) && message.contains("Connection refused"), message);
        }
    }

    @Test
    void fetchOfAnUncacheableResponseFailsSayingItWasNotStored() throws Exception {
        origin.route("/private", TestOrigin.ok("mine", "Cache-Control", "private"));

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> prefetcher.fetch(url("/private")).get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("not stored"), failure.getCause().getMessage());
    }

    @Test
    void fetchOutsideTheInstancesExpressionIsRefusedWithoutAnOriginRequest() throws Exception {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> prefetcher.fetch(ResolvedUrl.parse("http://elsewhere.example/x")).get(5, TimeUnit.SECONDS));

        assertTrue(failure.getCause().getMessage().contains("outside"), failure.getCause().getMessage());
        assertEquals(0, origin.requests());
    }

    @Test
    void fetchOfAStoredUrlRevalidatesIt() throws Exception {
        origin.route("/doc", TestOrigin.ok("doc", "Cache-Control", "max-age=600", "ETag", "\"d\""));
        cache.get(origin, "/doc");

        prefetcher.fetch(url("/doc")).get(5, TimeUnit.SECONDS);

        assertEquals("\"d\"", origin.last("/doc").fields().get("If-None-Match"));
    }

    private ResolvedUrl url(String target) throws Exception {
        return ResolvedUrl.parse("http://" + origin.authority() + target);
    }
}
