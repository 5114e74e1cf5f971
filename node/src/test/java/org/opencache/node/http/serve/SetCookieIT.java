package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.common.config.ResponseRulesConfig.SetCookie;
import org.opencache.testing.TestOrigin;

/** {@code set_cookie = store | strip | pass}: three parties on loopback (origin, cache, client). */
class SetCookieIT extends ThreePartyTest {

    private void start(SetCookie mode) throws Exception {
        cache = CacheFixture.withRules(origin.authority(), ResponseRulesConfig.defaults().withSetCookie(mode));
    }

    @Test
    @DisplayName("set_cookie = strip (default): shared on purpose, stored without the cookie; otherwise not stored")
    void strip() throws Exception {
        cache = CacheFixture.start(origin.authority());
        origin.route("/shared", TestOrigin.ok("x", "Cache-Control", "public, max-age=60", "Set-Cookie", "id=1"));
        origin.route("/plain", TestOrigin.ok("y", "Cache-Control", "max-age=60", "Set-Cookie", "id=2"));

        ContentResponse miss = cache.get(origin, "/shared");
        ContentResponse hit = cache.get(origin, "/shared");
        cache.get(origin, "/plain");
        ContentResponse again = cache.get(origin, "/plain");

        assertEquals("id=1", miss.getHeaders().get(HttpHeader.SET_COOKIE), "the client that filled the cache");
        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertNull(hit.getHeaders().get(HttpHeader.SET_COOKIE));
        assertEquals(1, origin.requests("/shared"));
        assertEquals("OpenCache; fwd=miss", cacheStatus(again));
        assertEquals("id=2", again.getHeaders().get(HttpHeader.SET_COOKIE));
        assertEquals(2, origin.requests("/plain"));
    }

    @Test
    @DisplayName("set_cookie = pass: a response with Set-Cookie is never stored, even public")
    void pass() throws Exception {
        start(SetCookie.PASS);
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "public, max-age=60", "Set-Cookie", "id=1"));
        origin.route("/b", TestOrigin.ok("y", "Cache-Control", "public, max-age=60"));

        cache.get(origin, "/a");
        ContentResponse second = cache.get(origin, "/a");
        cache.get(origin, "/b");
        ContentResponse withoutCookie = cache.get(origin, "/b");

        assertEquals("OpenCache; fwd=miss", cacheStatus(second));
        assertEquals("id=1", second.getHeaders().get(HttpHeader.SET_COOKIE));
        assertEquals(2, origin.requests("/a"));
        assertEquals("OpenCache; hit", cacheStatus(withoutCookie));
    }

    @Test
    @DisplayName("set_cookie = store, RFC 9111 §3 and §7.3: stored and reused with every Set-Cookie line")
    void store() throws Exception {
        start(SetCookie.STORE);
        origin.route("/a", TestOrigin.ok("x", "Cache-Control", "max-age=60", "Set-Cookie", "id=1", "Set-Cookie", "lang=en"));
        origin.route("/b", TestOrigin.ok("y", "Cache-Control", "max-age=60, private=\"Set-Cookie\"",
                "Set-Cookie", "id=2"));

        cache.get(origin, "/a");
        ContentResponse hit = cache.get(origin, "/a");
        ContentResponse miss = cache.get(origin, "/b");
        ContentResponse privateCookie = cache.get(origin, "/b");

        assertEquals("OpenCache; hit", cacheStatus(hit));
        assertEquals(List.of("id=1", "lang=en"), hit.getHeaders().getValuesList(HttpHeader.SET_COOKIE));
        assertEquals(1, origin.requests("/a"));
        assertEquals("id=2", miss.getHeaders().get(HttpHeader.SET_COOKIE));
        assertEquals("OpenCache; hit", cacheStatus(privateCookie), "RFC 9111 §5.2.2.7: the rest is shared");
        assertNull(privateCookie.getHeaders().get(HttpHeader.SET_COOKIE));
    }
}
