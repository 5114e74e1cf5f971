package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.http.rules.PolicyFixtures.date;
import static org.opencache.node.http.rules.PolicyFixtures.fields;
import static org.opencache.node.http.rules.PolicyFixtures.httpFields;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.common.config.ResponseRulesConfig.SetCookie;
import org.opencache.node.store.ObjectMeta;
import org.opencache.testing.MutableClock;

/**
 * The node's response rules: targeted cache control (RFC 9213), qualified {@code no-cache} and
 * {@code private} (RFC 9111 §5.2.2.4, §5.2.2.7) and {@code set_cookie}.
 */
class ResponseRulesTest {
    private final MutableClock clock = new MutableClock();
    private final Instant t0 = clock.instant();
    private final CachePolicy policy = policy(ResponseRulesConfig.defaults());

    private CachePolicy policy(ResponseRulesConfig rules) {
        return new CachePolicy(clock, Duration.ZERO, rules);
    }

    private ObjectMeta received(CachePolicy with, String... nameValues) {
        return with.describe(200, fields(nameValues), t0, t0, 1);
    }

    private ObjectMeta received(String... nameValues) {
        return received(policy, nameValues);
    }

    @Test
    @DisplayName("RFC 9213 §2.1: CDN-Cache-Control takes precedence over Cache-Control, either way")
    void targetedFieldReplacesCacheControl() {
        assertEquals(Duration.ofSeconds(3600), policy.freshnessLifetime(
                received("Cache-Control", "max-age=1", "CDN-Cache-Control", "max-age=3600")));
        assertEquals(Duration.ofSeconds(1), policy.freshnessLifetime(
                received("Cache-Control", "max-age=3600", "CDN-Cache-Control", "max-age=1")));
        assertTrue(policy.mayStore(CacheControl.NONE, received("Cache-Control", "no-store",
                "CDN-Cache-Control", "max-age=10000")));
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "max-age=10000",
                "CDN-Cache-Control", "no-store")));
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "max-age=10000",
                "CDN-Cache-Control", "private")));
        ObjectMeta noCache = received("Cache-Control", "max-age=10000", "CDN-Cache-Control", "no-cache", "ETag", "\"a\"");
        assertEquals(Duration.ZERO, policy.freshnessLifetime(noCache));
        assertTrue(CachePolicy.mustRevalidate(noCache));
        assertTrue(CachePolicy.mustRevalidate(received("CDN-Cache-Control", "max-age=60, must-revalidate")));
    }

    @Test
    @DisplayName("RFC 9213 §2.1, RFC 5861: stale-while-revalidate and stale-if-error come from the targeted field alone")
    void staleDirectivesComeFromTheTargetedField() {
        ObjectMeta targetedSwr = received("CDN-Cache-Control", "max-age=10, stale-while-revalidate=60, stale-if-error=60",
                "Cache-Control", "max-age=10");
        ObjectMeta ccSwr = received("CDN-Cache-Control", "max-age=10",
                "Cache-Control", "max-age=10, stale-while-revalidate=60, stale-if-error=60");
        clock.advance(Duration.ofSeconds(20));
        assertEquals(CachePolicy.Reuse.STALE_WHILE_REVALIDATE, policy.reuse(CacheControl.NONE, false, targetedSwr));
        assertTrue(policy.mayServeStaleOnError(CacheControl.NONE, targetedSwr));
        assertEquals(CachePolicy.Reuse.VALIDATE_STALE, policy.reuse(CacheControl.NONE, false, ccSwr));
        assertFalse(policy.mayServeStaleOnError(CacheControl.NONE, ccSwr));
    }

    @Test
    @DisplayName("RFC 9213 §2.1: a governing targeted field sets Expires aside, past, future or invalid")
    void targetedFieldReplacesExpires() {
        assertEquals(Duration.ofSeconds(3600), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=3600",
                "Expires", date(t0.minusSeconds(10000)), "Date", date(t0))));
        assertEquals(Duration.ofSeconds(3600), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=3600",
                "Expires", "0", "Date", date(t0))));
        assertEquals(Duration.ZERO, policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=0",
                "Expires", date(t0.plusSeconds(10000)), "Date", date(t0))));
    }

    @Test
    @DisplayName("RFC 9213 §2.1: the first field of the target list with a valid value governs, else Cache-Control")
    void theTargetListIsOrdered() {
        assertEquals(Duration.ofSeconds(5), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=9",
                "OpenCache-Cache-Control", "max-age=5", "Cache-Control", "max-age=1")));
        assertEquals(Duration.ofSeconds(9), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=9",
                "OpenCache-Cache-Control", "max-age=\"5\"", "Cache-Control", "max-age=1")), "an invalid one is skipped");
        assertEquals(Duration.ofSeconds(1), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age =9",
                "Cache-Control", "max-age=1")), "all invalid: Cache-Control");
        assertFalse(policy.mayStore(CacheControl.NONE, received("CDN-Cache-Control", "max-age=10000, &&&&&",
                "Cache-Control", "no-store")));
        assertEquals(Duration.ofSeconds(1), policy.freshnessLifetime(received("Edge-Cache-Control", "max-age=9",
                "Cache-Control", "max-age=1")), "a targeted field not on the list changes nothing");
        CachePolicy edge = policy(ResponseRulesConfig.defaults().withTargeted(List.of("Edge-Cache-Control"), false));
        assertEquals(Duration.ofSeconds(9), edge.freshnessLifetime(received(edge, "Edge-Cache-Control", "max-age=9",
                "CDN-Cache-Control", "max-age=5")));
        CachePolicy none = policy(ResponseRulesConfig.defaults().withTargeted(List.of(), false));
        assertEquals(Duration.ofSeconds(1), none.freshnessLifetime(received(none, "CDN-Cache-Control", "max-age=5",
                "Cache-Control", "max-age=1")), "an empty list: only Cache-Control");
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: last of the default target list; replaces Cache-Control and Expires, either way")
    void surrogateControlIsTheLowestTargetedField() {
        assertEquals(Duration.ofSeconds(1), policy.freshnessLifetime(
                received("Cache-Control", "max-age=3600", "Surrogate-Control", "max-age=1")));
        assertEquals(Duration.ofSeconds(3600), policy.freshnessLifetime(
                received("Cache-Control", "max-age=1", "Surrogate-Control", "max-age=3600")));
        assertEquals(Duration.ZERO, policy.freshnessLifetime(received("Surrogate-Control", "max-age=0",
                "Expires", date(t0.plusSeconds(10000)), "Date", date(t0))));
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "max-age=10000",
                "Surrogate-Control", "no-store", "Expires", date(t0.plusSeconds(10000)), "Date", date(t0))));
        assertTrue(policy.mayStore(CacheControl.NONE, received("Cache-Control", "no-store",
                "Surrogate-Control", "max-age=10000;" + TargetedFields.DEVICE_TOKEN)));
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "no-store",
                "Surrogate-Control", "max-age=10000;not-for-you")), "targeted elsewhere: Cache-Control applies");
        assertEquals(Duration.ofSeconds(5), policy.freshnessLifetime(received("CDN-Cache-Control", "max-age=5",
                "Surrogate-Control", "max-age=3600")), "RFC 9213 fields come first");
        assertEquals(Duration.ofSeconds(1), policy.freshnessLifetime(received("Cache-Control", "max-age=1",
                "Surrogate-Control", "max-age =100")), "a malformed one is ignored");
        CachePolicy off = policy(ResponseRulesConfig.defaults().withTargeted(List.of("CDN-Cache-Control"), false));
        assertEquals(Duration.ofSeconds(1), off.freshnessLifetime(received(off, "Cache-Control", "max-age=1",
                "Surrogate-Control", "max-age=3600")), "not on the list: ignored");
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Capability: the cache announces its device token to the origin while it reads Surrogate-Control")
    void surrogateCapabilityIsAnnounced() {
        HttpFields.Mutable request = HttpFields.build().add("Surrogate-Capability", "abc=\"Surrogate/1.0\"");
        policy.announce(request);
        assertEquals(List.of("abc=\"Surrogate/1.0\"", "opencache=\"Surrogate/1.0\""),
                request.getValuesList("Surrogate-Capability"));
        HttpFields.Mutable without = HttpFields.build();
        policy(ResponseRulesConfig.defaults().withTargeted(List.of("CDN-Cache-Control"), false)).announce(without);
        assertNull(without.get("Surrogate-Capability"));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.4, RFC 9213: a 304's targeted field replaces the stored one; without one the stored governs")
    void freshenedResponseKeepsOrReplacesItsTargetedField() {
        ObjectMeta stored = received("CDN-Cache-Control", "max-age=60", "Cache-Control", "max-age=1", "ETag", "\"a\"");
        ObjectMeta kept = policy.freshened(stored, httpFields("Cache-Control", "max-age=2"), t0, t0);
        assertEquals(Duration.ofSeconds(60), policy.freshnessLifetime(kept));
        ObjectMeta replaced = policy.freshened(kept, httpFields("CDN-Cache-Control", "max-age=600"), t0, t0);
        assertEquals(Duration.ofSeconds(600), policy.freshnessLifetime(replaced));
        ObjectMeta invalid = policy.freshened(replaced, httpFields("CDN-Cache-Control", "max-age=1.5"), t0, t0);
        assertEquals(Duration.ofSeconds(2), policy.freshnessLifetime(invalid), "now Cache-Control governs");
    }

    @Test
    @DisplayName("RFC 9213 §3: the consumed targeted fields are not sent to clients unless forwarded")
    void consumedTargetedFieldsAreNotForwarded() {
        ObjectMeta stored = policy.shared(received("CDN-Cache-Control", "max-age=60", "OpenCache-Cache-Control", "max-age=\"1\"",
                "Other-Cache-Control", "max-age=1", "Cache-Control", "max-age=1"));
        HttpFields client = StoredView.of(stored).clientFields();
        assertNull(client.get("CDN-Cache-Control"));
        assertNull(client.get("OpenCache-Cache-Control"), "a listed field is consumed even when another governs");
        assertEquals("max-age=1", client.get("Other-Cache-Control"), "RFC 9213 §2.1: others pass through");
        assertEquals("max-age=1", client.get("Cache-Control"));
        HttpFields origin = httpFields("CDN-Cache-Control", "max-age=60", "Cache-Control", "max-age=1");
        assertNull(policy.toClient(origin).get("CDN-Cache-Control"));
        assertEquals("max-age=1", policy.toClient(origin).get("Cache-Control"));
        HttpFields plain = httpFields("Cache-Control", "max-age=1");
        assertSame(plain, policy.toClient(plain));

        CachePolicy forwarding = policy(ResponseRulesConfig.defaults().withTargeted(
                List.of("OpenCache-Cache-Control", "CDN-Cache-Control"), true));
        ObjectMeta forwarded = forwarding.shared(received(forwarding, "CDN-Cache-Control", "max-age=60"));
        assertEquals("max-age=60", StoredView.of(forwarded).clientFields().get("CDN-Cache-Control"));
        assertEquals(Duration.ofSeconds(60), forwarding.freshnessLifetime(forwarded));
        assertSame(origin, forwarding.toClient(origin));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.4: no-cache=\"field\" keeps the response fresh, stored without the field")
    void qualifiedNoCacheDropsTheFieldOnly() {
        ObjectMeta response = received("Cache-Control", "max-age=60, no-cache=\"X-A, X-B\"", "X-A", "1", "x-b", "2",
                "X-C", "3");
        assertTrue(policy.mayStore(CacheControl.NONE, response));
        assertEquals(Duration.ofSeconds(60), policy.freshnessLifetime(response));
        assertFalse(CachePolicy.mustRevalidate(response));
        ObjectMeta stored = policy.shared(response);
        assertNull(stored.header("X-A"));
        assertNull(stored.header("X-B"));
        assertEquals("3", stored.header("X-C"));
        assertEquals(Duration.ZERO, policy.freshnessLifetime(received("Cache-Control", "max-age=60, no-cache=\"Date\"",
                "ETag", "\"a\"")), "naming a field the rules read: unqualified");
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.7: private=\"field\" lets a shared cache store the rest of the response")
    void qualifiedPrivateDropsTheFieldOnly() {
        ObjectMeta response = received("Cache-Control", "private=\"X-User\", max-age=60", "X-User", "bob", "X-C", "3");
        assertTrue(policy.mayStore(CacheControl.NONE, response));
        ObjectMeta stored = policy.shared(response);
        assertNull(stored.header("X-User"));
        assertEquals("3", stored.header("X-C"));
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "private, max-age=60")));
        assertTrue(policy.mayStore(CacheControl.NONE, received("CDN-Cache-Control", "private=\"X-User\", max-age=60",
                "X-User", "bob")));
        assertNull(policy.shared(received("CDN-Cache-Control", "private=\"X-User\", max-age=60", "X-User", "bob"))
                .header("X-User"));
    }

    @Test
    @DisplayName("set_cookie = strip (default), RFC 9111 §7.3: stored without the cookie when shared on purpose")
    void setCookieStrip() {
        assertFalse(policy.mayStore(CacheControl.NONE, received("Cache-Control", "max-age=60", "Set-Cookie", "id=1")));
        for (String[] shared : List.of(new String[] {"Cache-Control", "public, max-age=60"},
                new String[] {"Cache-Control", "s-maxage=60"}, new String[] {"CDN-Cache-Control", "max-age=60"},
                new String[] {"Cache-Control", "max-age=60, private=\"Set-Cookie\""})) {
            ObjectMeta response = received(shared[0], shared[1], "Set-Cookie", "id=1");
            assertTrue(policy.mayStore(CacheControl.NONE, response), shared[1]);
            assertNull(policy.shared(response).header("Set-Cookie"), shared[1]);
        }
    }

    @Test
    @DisplayName("set_cookie = pass: a response with Set-Cookie is never stored")
    void setCookiePass() {
        CachePolicy pass = policy(ResponseRulesConfig.defaults().withSetCookie(SetCookie.PASS));
        assertFalse(pass.mayStore(CacheControl.NONE, received(pass, "Cache-Control", "public, max-age=60",
                "Set-Cookie", "id=1")));
        assertTrue(pass.mayStore(CacheControl.NONE, received(pass, "Cache-Control", "max-age=60")));
        ObjectMeta stored = received(pass, "Cache-Control", "max-age=60", "ETag", "\"a\"");
        assertNull(pass.freshened(stored, httpFields("Set-Cookie", "id=2"), t0, t0).header("Set-Cookie"),
                "a 304's cookie is not stored either");
    }

    @Test
    @DisplayName("set_cookie = store, RFC 9111 §3 and §7.3: stored and reused with its Set-Cookie")
    void setCookieStore() {
        CachePolicy store = policy(ResponseRulesConfig.defaults().withSetCookie(SetCookie.STORE));
        ObjectMeta response = received(store, "Cache-Control", "max-age=60", "Set-Cookie", "id=1");
        assertTrue(store.mayStore(CacheControl.NONE, response));
        assertEquals("id=1", store.shared(response).header("Set-Cookie"));
        assertNull(store.shared(received(store, "Cache-Control", "max-age=60, private=\"Set-Cookie\"",
                "Set-Cookie", "id=1")).header("Set-Cookie"), "unless the origin says it is private");
        assertFalse(store.mayStore(CacheControl.NONE, received(store, "Cache-Control", "private, max-age=60",
                "Set-Cookie", "id=1")));
    }
}
