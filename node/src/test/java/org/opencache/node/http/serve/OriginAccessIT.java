package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.node.http.fill.PrefetchException;
import org.opencache.testing.TestOrigin;

/**
 * {@code *} is not an open proxy (docs/design.md §6, "Origin addresses"): a real origin on
 * loopback, a real instance, and a client naming that origin.
 */
class OriginAccessIT extends ThreePartyTest {

    @Test
    void wildcardRefusesALoopbackOriginWith403AndNeverAsksIt() throws Exception {
        origin.route("/x", TestOrigin.ok("secret", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start("*");

        ContentResponse byAddress = cache.send("GET", origin.authority(), "/x");
        ContentResponse byName = cache.send("GET", "localhost:" + origin.port(), "/x");
        ContentResponse relayed = cache.send("DELETE", origin.authority(), "/x");

        assertEquals(403, byAddress.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-loopback", cacheStatus(byAddress));
        assertTrue(byAddress.getContentAsString().contains("127.0.0.1 is a loopback address"),
                byAddress.getContentAsString());
        assertEquals(403, byName.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-loopback", cacheStatus(byName));
        assertEquals(403, relayed.getStatus(), "requests relayed uncached are checked too");
        assertEquals("OpenCache; fwd=method; detail=origin-loopback", cacheStatus(relayed));
        assertEquals(0, origin.requests());
    }

    @Test
    void hostNameExpressionThatResolvesToLoopbackIsRefused() throws Exception {
        origin.route("/x", TestOrigin.ok("secret", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start("localhost:" + origin.port());

        ContentResponse response = cache.send("GET", "localhost:" + origin.port(), "/x");

        assertEquals(403, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-loopback", cacheStatus(response));
        assertEquals(0, origin.requests());
    }

    @Test
    void expressionNamingTheLoopbackAddressReachesIt() throws Exception {
        origin.route("/x", TestOrigin.ok("public", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start(origin.authority());

        ContentResponse response = cache.get(origin, "/x");

        assertEquals(200, response.getStatus());
        assertEquals("public", response.getContentAsString());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(response));
        assertEquals(1, origin.requests());
    }

    @Test
    void originDenyRefusesItsBlockEvenToAnExpressionNamingTheAddress() throws Exception {
        origin.route("/x", TestOrigin.ok("public", "Cache-Control", "max-age=60"));
        cache = CacheFixture.denying(origin.authority(), "10.0.0.0/8", "127.0.0.0/8");

        ContentResponse response = cache.get(origin, "/x");

        assertEquals(403, response.getStatus());
        assertEquals("OpenCache; fwd=miss; detail=origin-denied", cacheStatus(response));
        assertTrue(response.getContentAsString().contains("127.0.0.1 is in origin_deny block 127.0.0.0/8"),
                response.getContentAsString());
        assertEquals(0, origin.requests());
    }

    @Test
    void fetchCommandForALoopbackUrlUnderTheWildcardFailsSayingWhy() throws Exception {
        origin.route("/x", TestOrigin.ok("secret", "Cache-Control", "max-age=60"));
        cache = CacheFixture.start("*");
        ResolvedUrl url = ResolvedUrl.parse("http://" + origin.authority() + "/x");

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> cache.handler.prefetcher().fetch(url).get(5, TimeUnit.SECONDS));

        assertInstanceOf(PrefetchException.class, failure.getCause());
        String message = failure.getCause().getMessage();
        assertTrue(message.contains(url.canonical()) && message.contains("127.0.0.1 is a loopback address")
                && message.contains("may not reach"), message);
        assertEquals(0, origin.requests());
    }
}
