package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

/** Requests with credentials (RFC 9111 §3.5): three parties on loopback. */
class AuthorizationIT extends ThreePartyTest {
    private static final String CREDENTIALS = "Basic dTpw";

    @Test
    @DisplayName("RFC 9111 §3.5: a response to credentials without public, s-maxage or must-revalidate is not stored")
    void plainResponseToCredentialsIsNotStored() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/a", TestOrigin.ok("yours", "Cache-Control", "max-age=60"));

        ContentResponse withCredentials = cache.get(origin, "/a", "Authorization", CREDENTIALS);
        ContentResponse anonymous = cache.get(origin, "/a");

        assertEquals("OpenCache; fwd=miss", cacheStatus(withCredentials));
        assertEquals(CREDENTIALS, origin.seen("/a").get(0).fields().get(HttpHeader.AUTHORIZATION));
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(anonymous));
        assertEquals(2, origin.requests("/a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"public, max-age=60", "s-maxage=60", "max-age=60, must-revalidate"})
    @DisplayName("RFC 9111 §3.5: a response to credentials with public, s-maxage or must-revalidate answers later requests")
    void responseToCredentialsThatMayBeSharedIsReused(String directives) throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/a", TestOrigin.ok("everyone's", "Cache-Control", directives));

        ContentResponse withCredentials = cache.get(origin, "/a", "Authorization", CREDENTIALS);
        ContentResponse anonymous = cache.get(origin, "/a");
        ContentResponse otherCredentials = cache.get(origin, "/a", "Authorization", "Basic b3RoZXI6cA==");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(withCredentials));
        assertEquals("OpenCache; hit", cacheStatus(anonymous));
        assertEquals("everyone's", anonymous.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(otherCredentials));
        assertEquals(1, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9111 §3.5, §5.2.2.2: a shared response to credentials is revalidated once stale when it must be")
    void mustRevalidateStillHoldsForAResponseToCredentials() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/a", TestOrigin.ok("everyone's", "Cache-Control", "max-age=10, must-revalidate, stale-while-revalidate=60",
                "ETag", "\"1\""));
        cache.get(origin, "/a", "Authorization", CREDENTIALS);
        cache.clock.advance(Duration.ofSeconds(11));

        ContentResponse stale = cache.get(origin, "/a", "Cache-Control", "max-stale=60");

        assertEquals("OpenCache; fwd=stale; fwd-status=200; stored", cacheStatus(stale));
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9111 §3.5: credentials are answered from the store only by a response a shared cache may keep for them")
    void credentialsAreNotAnsweredByAnAnonymousResponse() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/a", (request, response, callback) -> (request.getHeaders().contains(HttpHeader.AUTHORIZATION)
                ? TestOrigin.ok("your page", "Cache-Control", "private")
                : TestOrigin.ok("everyone's page", "Cache-Control", "max-age=60")).handle(request, response, callback));
        cache.get(origin, "/a");

        ContentResponse withCredentials = cache.get(origin, "/a", "Authorization", CREDENTIALS);
        ContentResponse anonymousAgain = cache.get(origin, "/a");

        assertEquals("your page", withCredentials.getContentAsString());
        assertEquals("OpenCache; fwd=request", cacheStatus(withCredentials));
        assertEquals("everyone's page", anonymousAgain.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(anonymousAgain));
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9111 §3.5, RFC 9110 §15.5.2: a stored 401 never answers credentials, even when public")
    void storedUnauthorizedNeverAnswersCredentials() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/a", (request, response, callback) -> (request.getHeaders().contains(HttpHeader.AUTHORIZATION)
                ? TestOrigin.ok("welcome", "Cache-Control", "private")
                : TestOrigin.respond(401, "log in first", "Cache-Control", "public, max-age=60",
                        "WWW-Authenticate", "Basic realm=\"r\"")).handle(request, response, callback));
        cache.get(origin, "/a");

        ContentResponse withCredentials = cache.get(origin, "/a", "Authorization", CREDENTIALS);
        ContentResponse anonymousAgain = cache.get(origin, "/a");

        assertEquals(200, withCredentials.getStatus());
        assertEquals("welcome", withCredentials.getContentAsString());
        assertEquals("OpenCache; fwd=request", cacheStatus(withCredentials));
        assertEquals(401, anonymousAgain.getStatus());
        assertEquals("OpenCache; hit", cacheStatus(anonymousAgain));
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9111 §3.5: a request with credentials collapsed onto an anonymous fetch is not given its unkept answer")
    void credentialsDoNotFollowAnAnonymousLeadersUnkeptResponse() throws Exception {
        cache = CacheFixture.start(origin.authority());
        cache.store.keepNothing();
        origin.route("/a", (request, response, callback) -> {
            boolean credentials = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
            if (!credentials) {
                release.await(10, TimeUnit.SECONDS);
            }
            (credentials ? TestOrigin.ok("welcome", "Cache-Control", "private")
                    : TestOrigin.respond(401, "log in first", "Cache-Control", "max-age=60",
                            "WWW-Authenticate", "Basic realm=\"r\""))
                    .handle(request, response, callback);
        });
        CompletableFuture<ContentResponse> leader =
                new CompletableResponseListener(cache.request("GET", origin.authority(), "/a")).send();
        Await.until("the leader's request at the origin", Duration.ofSeconds(5), () -> origin.requests("/a") > 0);
        CompletableFuture<ContentResponse> follower = new CompletableResponseListener(
                cache.request("GET", origin.authority(), "/a").headers(h -> h.put(HttpHeader.AUTHORIZATION, CREDENTIALS)))
                .send();
        Await.until("a follower in the leader's flight", Duration.ofSeconds(5),
                () -> cache.handler.followers(cache.key(origin, "/a")) == 1);
        release.countDown();

        assertEquals(401, leader.get(10, TimeUnit.SECONDS).getStatus());
        ContentResponse withCredentials = follower.get(10, TimeUnit.SECONDS);
        assertEquals(200, withCredentials.getStatus());
        assertEquals("welcome", withCredentials.getContentAsString());
        assertEquals(2, origin.requests("/a"));
    }

    @Test
    @DisplayName("RFC 9111 §3.5: with cache_authorized = false, credentials bypass the cache entirely")
    void operatorCanMakeCredentialsBypassTheCache() throws Exception {
        cache = CacheFixture.bypassingAuthorization(origin.authority());
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "public, max-age=60"));

        ContentResponse withCredentials = cache.get(origin, "/a", "Authorization", CREDENTIALS);
        cache.get(origin, "/a");
        ContentResponse again = cache.get(origin, "/a", "Authorization", CREDENTIALS);

        assertEquals("OpenCache; fwd=bypass", cacheStatus(withCredentials));
        assertEquals("OpenCache; fwd=bypass", cacheStatus(again));
        assertEquals(3, origin.requests("/a"));
        assertEquals(1, cache.store.commits());
        assertEquals(CREDENTIALS, origin.last("/a").fields().get(HttpHeader.AUTHORIZATION));
        assertNull(origin.seen("/a").get(1).fields().get(HttpHeader.AUTHORIZATION));
    }
}
