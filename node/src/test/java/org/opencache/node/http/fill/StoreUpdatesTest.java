package org.opencache.node.http.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.node.http.rules.PolicyFixtures.date;
import static org.opencache.node.http.rules.PolicyFixtures.response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.fill.StoreUpdates.Match;
import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.PolicyFixtures;
import org.opencache.node.store.MapObjectStore;
import org.opencache.node.store.ObjectMeta;
import org.opencache.testing.MutableClock;

class StoreUpdatesTest {
    private final Instant t0 = Instant.ofEpochSecond(1_700_000_000);
    private final StoreUpdates updates = new StoreUpdates(new MapObjectStore(),
            new CachePolicy(new MutableClock(), Duration.ZERO), "i");
    private final OriginTarget target = OriginTarget.of("example.com", 80, "/a/b?x=1", HttpFields.EMPTY,
            new OriginAccess(null, List.of(), true));

    @Test
    @DisplayName("RFC 9111 §4.3.4: the newer response's ETag, else Last-Modified, selects the stored response")
    void compareValidators() {
        ObjectMeta stored = response(t0, 200, "ETag", "\"v1\"", "Last-Modified", date(t0));
        assertEquals(Match.SAME, StoreUpdates.compare(stored, fields("ETag", "\"v1\""), false));
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(stored, fields("ETag", "\"v2\""), false));
        assertEquals(Match.SAME, StoreUpdates.compare(stored, fields("Last-Modified", date(t0)), false));
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(stored, fields("Last-Modified", date(t0.plusSeconds(1))),
                false));
        assertEquals(Match.UNKNOWN, StoreUpdates.compare(stored, fields(), false));
        assertEquals(Match.SAME, StoreUpdates.compare(response(t0, 200), fields(), false));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.4, RFC 9110 §5.6.7: a Last-Modified that is not an HTTP-date is compared as sent")
    void compareInvalidLastModified() {
        String utc = "Sun, 06 Nov 1994 08:49:37 UTC";
        ObjectMeta stored = response(t0, 200, "Last-Modified", utc);
        assertEquals(Match.SAME, StoreUpdates.compare(stored, fields("Last-Modified", utc), false));
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(stored, fields("Last-Modified",
                "Mon, 07 Nov 1994 08:49:37 UTC"), false));
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(response(t0, 200), fields("Last-Modified", utc), false));
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(response(t0, 200, "Last-Modified", date(t0)),
                fields("Last-Modified", utc), false));
    }

    @Test
    @DisplayName("RFC 9111 §4.3.5: a HEAD whose Content-Length differs invalidates")
    void headLength() {
        ObjectMeta stored = response(t0, 200, "ETag", "\"v1\"");
        assertEquals(Match.DIFFERENT, StoreUpdates.compare(stored, fields("ETag", "\"v1\"", "Content-Length", "7"),
                true));
        assertEquals(Match.SAME, StoreUpdates.compare(stored, fields("ETag", "\"v1\"", "Content-Length", "0"), true));
    }

    @Test
    @DisplayName("RFC 9111 §4.4: Location and Content-Location invalidate only within the target's origin")
    void sameOriginOnly() {
        assertEquals(List.of(CacheKeys.key("i", "example.com", 80, "/a/c"),
                CacheKeys.key("i", "example.com", 80, "/z?q")),
                updates.invalidatedBy(target, fields("Location", "c", "Content-Location", "http://EXAMPLE.com/z?q")));
        assertEquals(List.of(), updates.invalidatedBy(target, fields("Location", "http://other.example/a",
                "Content-Location", "http://example.com:8080/a")));
        assertEquals(List.of(), updates.invalidatedBy(target, fields("Location", "https://example.com/a")));
    }

    private static HttpFields fields(String... nameValues) {
        return PolicyFixtures.httpFields(nameValues);
    }
}
