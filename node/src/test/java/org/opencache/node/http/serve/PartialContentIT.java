package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.node.http.rules.ByteRanges;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

/**
 * 206 responses stored as parts of their representation, over the node's real store (RFC 9111
 * §3.3, §3.4; RFC 9110 §14, §15.3.7): a miss with one range asks the origin for that range, the
 * 206 is stored, later ranges inside the stored parts are hits, and parts that share a strong
 * validator and together make the whole are combined into a complete 200.
 */
class PartialContentIT extends ThreePartyTest {
    /** Over 1 MiB, so that a range miss asks for its range even once the length is known. */
    private static final String BODY = "0123456789abcdefghij" + "-".repeat(1 << 20);
    private static final String LENGTH = Integer.toString(BODY.length());

    @TempDir
    Path dir;
    private TieredObjectStore store;
    private volatile String etag = "\"p1\"";
    private volatile boolean honourIfRange = true;

    @BeforeEach
    void start() throws Exception {
        store = TieredObjectStore.open(dir, 1 << 20, 0, 0, 64, Clock.systemUTC());
        cache = CacheFixture.over(store, origin.authority());
        origin.route("/p", ranged(BODY));
    }

    @AfterEach
    void closeStore() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
        store.close();
    }

    /**
     * An origin that answers a single range with a 206 (RFC 9110 §14.2), unless an {@code If-Range}
     * names another {@link #etag} (§13.1.5; only while {@link #honourIfRange}), anything else with
     * the whole 200, the current {@link #etag} on both.
     */
    private TestOrigin.Route ranged(String body, String... fields) {
        return (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=60");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            if (etag != null) {
                response.getHeaders().put(HttpHeader.ETAG, etag);
            }
            for (int i = 0; i < fields.length; i += 2) {
                response.getHeaders().put(fields[i], fields[i + 1]);
            }
            Optional<ByteRanges> ranges = ByteRanges.parse(request.getHeaders().get(HttpHeader.RANGE), body.length());
            String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
            boolean rangeApplies = ifRange == null || !honourIfRange || ifRange.equals(etag);
            if (ranges.isPresent() && ranges.get().ranges().size() == 1 && rangeApplies) {
                ByteRanges.Range range = ranges.get().ranges().getFirst();
                response.setStatus(206);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, range.contentRange(body.length()));
                Content.Sink.write(response, true, body.substring((int) range.first(), (int) range.last() + 1), callback);
            } else {
                Content.Sink.write(response, true, body, callback);
            }
        };
    }

    private ContentResponse range(String range) throws Exception {
        return cache.get(origin, "/p", "Range", range);
    }

    @Test
    @DisplayName("RFC 9111 §3.3, RFC 9110 §15.3.7: a miss asks for the one range; the 206 is stored and serves ranges within it")
    void storesAPartAndServesRangesWithinIt() throws Exception {
        ContentResponse miss = range("bytes=5-14");
        ContentResponse same = range("bytes=5-14");
        ContentResponse inside = range("bytes=7-9");

        assertEquals(206, miss.getStatus());
        assertEquals("56789abcde", miss.getContentAsString());
        assertEquals("bytes=5-14", origin.last("/p").fields().get(HttpHeader.RANGE));
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(miss));
        assertEquals(206, same.getStatus());
        assertEquals("56789abcde", same.getContentAsString());
        assertEquals("bytes 5-14/" + LENGTH, same.getHeaders().get(HttpHeader.CONTENT_RANGE));
        assertEquals("OpenCache; hit", cacheStatus(same));
        assertEquals("789", inside.getContentAsString());
        assertEquals("bytes 7-9/" + LENGTH, inside.getHeaders().get(HttpHeader.CONTENT_RANGE));
        assertEquals("\"p1\"", inside.getHeaders().get(HttpHeader.ETAG));
        assertEquals("OpenCache; hit", cacheStatus(inside));
        assertEquals(1, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.1.7, §3.3: only-if-cached is answered from parts that cover the range, else 504")
    void onlyIfCached() throws Exception {
        range("bytes=5-9");

        ContentResponse covered = cache.get(origin, "/p", "Range", "bytes=6-7", "Cache-Control", "only-if-cached");
        ContentResponse uncovered = cache.get(origin, "/p", "Range", "bytes=0-7", "Cache-Control", "only-if-cached");

        assertEquals(206, covered.getStatus());
        assertEquals("67", covered.getContentAsString());
        assertEquals(504, uncovered.getStatus());
        assertEquals(1, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.3: a range the parts do not hold, or a request for the whole, goes to the origin")
    void uncoveredGoesToTheOrigin() throws Exception {
        range("bytes=5-9");

        ContentResponse beyond = range("bytes=8-12");
        assertEquals("89abc", beyond.getContentAsString());
        assertEquals("bytes=8-12", origin.last("/p").fields().get(HttpHeader.RANGE));
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(beyond));

        ContentResponse whole = cache.get(origin, "/p");
        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals(null, origin.last("/p").fields().get(HttpHeader.RANGE));
        assertEquals(3, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.3: once parts show the representation is small, a range miss fetches and stores it whole")
    void smallRepresentationFetchedWhole() throws Exception {
        origin.route("/s", ranged("0123456789"));
        cache.get(origin, "/s", "Range", "bytes=0-1");

        ContentResponse other = cache.get(origin, "/s", "Range", "bytes=5-6");
        ContentResponse whole = cache.get(origin, "/s");

        assertEquals(206, other.getStatus());
        assertEquals("56", other.getContentAsString());
        assertEquals(null, origin.last("/s").fields().get(HttpHeader.RANGE));
        assertEquals("OpenCache; hit", cacheStatus(whole));
        assertEquals("0123456789", whole.getContentAsString());
        assertEquals(2, origin.requests("/s"));
    }

    @Test
    @DisplayName("RFC 9111 §3.4: parts with the same strong ETag serve a range across both")
    void rangeAcrossParts() throws Exception {
        range("bytes=0-9");
        range("bytes=8-14");

        ContentResponse across = range("bytes=6-12");

        assertEquals("6789abc", across.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(across));
        assertEquals(2, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.4, RFC 9110 §15.3.7.3: parts that make the whole are combined into a complete 200")
    void combinesPartsIntoTheWhole() throws Exception {
        range("bytes=0-9");
        range("bytes=10-");

        Await.until("the parts combined", Duration.ofSeconds(5),
                () -> store.lookup(cache.key(origin, "/p")).isPresent());
        ContentResponse whole = cache.get(origin, "/p");

        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals(LENGTH, whole.getHeaders().get(HttpHeader.CONTENT_LENGTH));
        assertEquals(null, whole.getHeaders().get(HttpHeader.CONTENT_RANGE));
        assertEquals("OpenCache; hit", cacheStatus(whole));
        assertEquals(2, origin.requests("/p"));
        // The parts are gone once the whole is stored.
        Await.until("the parts dropped", Duration.ofSeconds(5),
                () -> store.lookup(CacheKeys.partsKey(cache.key(origin, "/p"))).isEmpty());
    }

    @Test
    @DisplayName("RFC 9110 §15.3.7.3: a 206 of the whole representation is stored as the complete 200")
    void aWholePartIsTheCompleteResponse() throws Exception {
        ContentResponse miss = range("bytes=0-");

        assertEquals(206, miss.getStatus());
        Await.until("the whole stored", Duration.ofSeconds(5),
                () -> store.lookup(cache.key(origin, "/p")).isPresent());
        ContentResponse whole = cache.get(origin, "/p");
        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(whole));
        assertEquals(1, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.4: a part with another strong validator replaces the stored parts (the newer wins)")
    void anotherValidatorReplacesTheParts() throws Exception {
        range("bytes=0-9");
        etag = "\"p2\"";
        range("bytes=10-");

        ContentResponse old = range("bytes=0-4");
        ContentResponse newer = range("bytes=12-13");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(old), "the old part is no longer served");
        assertEquals("\"p2\"", old.getHeaders().get(HttpHeader.ETAG));
        assertEquals("OpenCache; hit", cacheStatus(newer));
        assertEquals("\"p2\"", newer.getHeaders().get(HttpHeader.ETAG));
        assertEquals(3, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.4: without a strong validator parts are not combined; the newer replaces the older")
    void noValidatorNoCombining() throws Exception {
        etag = null;
        range("bytes=0-9");
        range("bytes=10-");

        ContentResponse newer = range("bytes=15-16");
        ContentResponse across = range("bytes=8-11");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(across));
        assertEquals("89ab", across.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(newer));
        assertFalse(store.lookup(cache.key(origin, "/p")).isPresent(), "never combined");
    }

    @Test
    @DisplayName("RFC 9110 §14.2: an origin that ignores the Range sends the whole 200, which is stored")
    void originIgnoringTheRange() throws Exception {
        origin.route("/w", TestOrigin.ok(BODY, "Cache-Control", "max-age=60"));

        ContentResponse miss = cache.get(origin, "/w", "Range", "bytes=2-3");
        ContentResponse whole = cache.get(origin, "/w");

        assertEquals(206, miss.getStatus());
        assertEquals("23", miss.getContentAsString());
        assertEquals("bytes=2-3", origin.last("/w").fields().get(HttpHeader.RANGE));
        assertEquals("OpenCache; hit", cacheStatus(whole));
        assertEquals(BODY, whole.getContentAsString());
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: If-Range goes to the origin with the Range; a stored part serves only a matching one")
    void ifRange() throws Exception {
        ContentResponse first = range("bytes=0-4");
        ContentResponse matching = cache.get(origin, "/p", "Range", "bytes=1-2", "If-Range", "\"p1\"");
        ContentResponse changed = cache.get(origin, "/p", "Range", "bytes=1-2", "If-Range", "\"p0\"");

        assertEquals(206, first.getStatus());
        assertEquals("OpenCache; hit", cacheStatus(matching));
        assertEquals("12", matching.getContentAsString());
        assertEquals("\"p0\"", origin.last("/p").fields().get(HttpHeader.IF_RANGE));
        assertTrue(cacheStatus(changed).startsWith("OpenCache; fwd=miss"), cacheStatus(changed));
    }

    @Test
    @DisplayName("RFC 9111 §4.4: an unsafe method invalidates the URL's stored parts")
    void invalidated() throws Exception {
        range("bytes=0-4");
        origin.route("/p", ranged(BODY));
        cache.send("POST", origin.authority(), "/p");

        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(range("bytes=0-4")));
    }

    @Test
    @DisplayName("RFC 9111 §3.3: a plain GET completes a stored prefix with a range request for the rest, If-Range attached")
    void completesAStoredPrefix() throws Exception {
        range("bytes=0-4");

        ContentResponse whole = cache.get(origin, "/p");

        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals(LENGTH, whole.getHeaders().get(HttpHeader.CONTENT_LENGTH));
        assertEquals(null, whole.getHeaders().get(HttpHeader.CONTENT_RANGE));
        assertEquals("bytes=5-", origin.last("/p").fields().get(HttpHeader.RANGE));
        assertEquals("\"p1\"", origin.last("/p").fields().get(HttpHeader.IF_RANGE));
        Await.until("the parts combined", Duration.ofSeconds(5),
                () -> store.lookup(cache.key(origin, "/p")).isPresent());
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/p")));
        assertEquals(2, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §3.3, §3.4: a large prefix from disk and the rest as it streams make the complete 200")
    void completesALargePrefix() throws Exception {
        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() < 300_000; i++) {
            large.append(i).append(',');
        }
        String body = large.toString();
        origin.route("/large", ranged(body));
        cache.get(origin, "/large", "Range", "bytes=0-199999");

        ContentResponse whole = cache.get(origin, "/large");

        assertEquals(body, whole.getContentAsString());
        assertEquals("bytes=200000-", origin.last("/large").fields().get(HttpHeader.RANGE));
        Await.until("the parts combined", Duration.ofSeconds(5),
                () -> store.lookup(cache.key(origin, "/large")).isPresent());
        assertEquals(body, cache.get(origin, "/large").getContentAsString());
        assertEquals(2, origin.requests("/large"));
    }

    @Test
    @DisplayName("RFC 9110 §13.1.5: a completion whose If-Range fails gets, stores and sends the whole 200")
    void changedWhileCompleting() throws Exception {
        range("bytes=0-4");
        etag = "\"p2\"";

        ContentResponse whole = cache.get(origin, "/p");

        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals("\"p2\"", whole.getHeaders().get(HttpHeader.ETAG));
        assertEquals("OpenCache; hit", cacheStatus(cache.get(origin, "/p")));
        assertEquals(2, origin.requests("/p"));
        assertTrue(store.lookup(CacheKeys.partsKey(cache.key(origin, "/p"))).isEmpty(), "the old parts dropped");
    }

    @Test
    @DisplayName("RFC 9111 §3.4: a completion answered with another representation's 206 asks for the whole")
    void completionWithAnotherRepresentation() throws Exception {
        range("bytes=0-4");
        etag = "\"p2\"";
        honourIfRange = false;

        ContentResponse whole = cache.get(origin, "/p");

        assertEquals(200, whole.getStatus());
        assertEquals(BODY, whole.getContentAsString());
        assertEquals("\"p2\"", whole.getHeaders().get(HttpHeader.ETAG));
        assertEquals(null, origin.last("/p").fields().get(HttpHeader.RANGE));
        assertEquals(3, origin.requests("/p"));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: a part with Vary serves only its variant; combined, it is stored as that variant")
    void variantParts() throws Exception {
        origin.route("/v", ranged(BODY, "Vary", "Accept-Language"));
        cache.get(origin, "/v", "Range", "bytes=0-9", "Accept-Language", "de");

        ContentResponse sameVariant = cache.get(origin, "/v", "Range", "bytes=2-3", "Accept-Language", "de");
        ContentResponse otherVariant = cache.get(origin, "/v", "Range", "bytes=2-3", "Accept-Language", "fr");

        assertEquals("OpenCache; hit", cacheStatus(sameVariant));
        assertEquals("23", sameVariant.getContentAsString());
        assertTrue(cacheStatus(otherVariant).startsWith("OpenCache; fwd="), cacheStatus(otherVariant));
        assertEquals("fr", origin.last("/v").fields().get("Accept-Language"));

        // The fr part replaced the de one; fr's parts made whole are the fr variant.
        cache.get(origin, "/v", "Range", "bytes=0-", "Accept-Language", "fr");
        Await.until("the fr variant combined", Duration.ofSeconds(5),
                () -> store.lookup(cache.key(origin, "/v")).isPresent());
        ContentResponse fr = cache.get(origin, "/v", "Accept-Language", "fr");
        ContentResponse de = cache.get(origin, "/v", "Accept-Language", "de");
        assertEquals("OpenCache; hit", cacheStatus(fr));
        assertEquals(BODY, fr.getContentAsString());
        assertTrue(cacheStatus(de).startsWith("OpenCache; fwd=vary-miss"), cacheStatus(de));
    }

    @Test
    @DisplayName("PURGE of a URL drops its stored parts and their record")
    void purged() throws Exception {
        cache.close();
        cache = CacheFixture.purging(store, origin.authority(), "127.0.0.1/32");
        range("bytes=0-4");
        range("bytes=10-12");

        ContentResponse purge = cache.send("PURGE", origin.authority(), "/p");

        assertEquals("{\"purged\": 3}\n", purge.getContentAsString());
        assertEquals("OpenCache; fwd=miss; stored", cacheStatus(range("bytes=0-4")));
    }

    @Test
    @DisplayName("RFC 9111 §3.3: stored parts outlive a restart of the store")
    void partsSurviveARestart() throws Exception {
        range("bytes=0-9");
        cache.close();
        cache = null;
        store.close();

        store = TieredObjectStore.open(dir, 1 << 20, 0, 0, 64, Clock.systemUTC());
        cache = CacheFixture.over(store, origin.authority());
        ContentResponse after = range("bytes=2-5");

        assertEquals("2345", after.getContentAsString());
        assertEquals("OpenCache; hit", cacheStatus(after));
        assertEquals(1, origin.requests("/p"));
    }
}
