package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.testing.TestOrigin;

/** A POST's response that answers later GETs (RFC 9110 §9.3.3, RFC 9111 §4): three parties on loopback. */
class PostResponseIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
    }

    @Test
    @DisplayName("RFC 9110 §9.3.3, §8.7: a POST response with explicit freshness and Content-Location = target answers a GET")
    void postResponseNamingItsTargetAnswersALaterGet() throws Exception {
        origin.route("/p", postAnswers("result of the post", "Cache-Control", "max-age=60", "Content-Location", "/p"));

        ContentResponse posted = post("/p", "form=1");
        ContentResponse get = cache.get(origin, "/p");

        assertEquals("result of the post", posted.getContentAsString());
        assertEquals("OpenCache; fwd=method; stored", cacheStatus(posted));
        assertEquals("form=1", origin.last("/p").body());
        assertEquals("OpenCache; hit", cacheStatus(get));
        assertEquals("result of the post", get.getContentAsString());
        assertEquals(1, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §4.4, RFC 9110 §9.3.3: the POST invalidates the stored GET, and its own response takes its place")
    void postReplacesTheStoredGetResponse() throws Exception {
        origin.route("/p", postAnswers("after the post", "Cache-Control", "max-age=60",
                "Content-Location", "http://" + origin.authority() + "/p"));
        cache.get(origin, "/p");

        post("/p", "form=1");
        ContentResponse get = cache.get(origin, "/p");

        assertEquals("OpenCache; hit", cacheStatus(get));
        assertEquals("after the post", get.getContentAsString());
        assertEquals(2, origin.requests("/p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/other", "/p?x=1", "http://elsewhere.example/p", "https://127.0.0.1/p", ""})
    @DisplayName("RFC 9110 §9.3.3: a POST response whose Content-Location is not its own target URI is not stored")
    void contentLocationMustBeTheTargetOfTheSameOrigin(String contentLocation) throws Exception {
        String named = contentLocation.startsWith("https") ? contentLocation.replace("127.0.0.1", origin.authority())
                : contentLocation;
        origin.route("/p", postAnswers("result", "Cache-Control", "max-age=60", "Content-Location", named));

        ContentResponse posted = post("/p", "form=1");
        ContentResponse get = cache.get(origin, "/p");

        assertEquals("OpenCache; fwd=method", cacheStatus(posted));
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(get));
        assertEquals("GET result", get.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §9.3.3: a POST response needs explicit freshness; heuristics and other statuses do not do")
    void onlyExplicitlyFreshSuccessfulResponsesAreStored() throws Exception {
        origin.route("/h", postAnswers("result", "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT", "ETag", "\"1\"",
                "Content-Location", "/h"));
        origin.route("/c", (request, response, callback) -> (request.getMethod().equals("POST")
                ? TestOrigin.respond(201, "created", "Cache-Control", "max-age=60", "Content-Location", "/c")
                : TestOrigin.ok("GET result")).handle(request, response, callback));
        origin.route("/n", postAnswers("result", "Cache-Control", "max-age=60, no-store", "Content-Location", "/n"));

        for (String target : new String[] {"/h", "/c", "/n"}) {
            ContentResponse posted = post(target, "form=1");
            assertEquals("OpenCache; fwd=method", cacheStatus(posted), target);
        }
        assertEquals(0, cache.store.commits());
    }

    private ContentResponse post(String target, String body) throws Exception {
        return cache.request("POST", origin.authority(), target)
                .body(new StringRequestContent("application/x-www-form-urlencoded", body)).send();
    }

    // The POST gets `body` with `fields`; a GET gets "GET result", fresh for a minute.
    private static TestOrigin.Route postAnswers(String body, String... fields) {
        return (request, response, callback) -> (request.getMethod().equals("POST")
                ? TestOrigin.ok(body, fields)
                : TestOrigin.ok("GET result", "Cache-Control", "max-age=60")).handle(request, response, callback);
    }
}
