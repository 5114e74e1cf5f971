package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.TestOrigin;

/** Unsafe methods invalidate what they may have changed (RFC 9111 §4.4). */
class InvalidationIT extends ThreePartyTest {
    @BeforeEach
    void start() throws Exception {
        cache = CacheFixture.start(origin.authority());
        for (String path : new String[] {"/doc", "/list", "/other"}) {
            origin.route(path, TestOrigin.ok(path, "Cache-Control", "max-age=60"));
            cache.get(origin, path);
        }
    }

    @Test
    @DisplayName("RFC 9111 §4.4: a successful POST invalidates its target, Location and Content-Location")
    void postInvalidatesTargetAndLocations() throws Exception {
        origin.route("/doc", (request, response, callback) -> {
            if (request.getMethod().equals("POST")) {
                TestOrigin.respond(201, "created", "Location", "/list",
                        "Content-Location", "http://" + origin.authority() + "/other")
                        .handle(request, response, callback);
            } else {
                TestOrigin.ok("/doc", "Cache-Control", "max-age=60").handle(request, response, callback);
            }
        });

        ContentResponse post = cache.send("POST", origin.authority(), "/doc");

        assertEquals("OpenCache; fwd=method", cacheStatus(post));
        for (String path : new String[] {"/doc", "/list", "/other"}) {
            assertEquals("OpenCache; fwd=miss; stored", cacheStatus(cache.get(origin, path)), path);
        }
    }

    @Test
    @DisplayName("RFC 9111 §4.4: a Location on another host is not invalidated")
    void otherHostNotInvalidated() throws Exception {
        origin.route("/doc", TestOrigin.respond(303, "", "Location", "http://elsewhere.example/list"));

        cache.send("DELETE", origin.authority(), "/doc");

        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/list")));
    }

    @Test
    @DisplayName("RFC 9111 §4.4: an error response invalidates nothing")
    void errorInvalidatesNothing() throws Exception {
        origin.route("/doc", TestOrigin.respond(500, "failed"));

        cache.send("PUT", origin.authority(), "/doc");

        assertEquals(1, cache.store.commits() - 2);
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/doc")));
    }
}
