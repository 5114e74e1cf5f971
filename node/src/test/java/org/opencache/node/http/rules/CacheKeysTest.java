package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoreKey;

class CacheKeysTest {

    @Test
    void keyIsSchemeHostPortPathAndQueryWithTheHostSpelledOneWay() {
        assertEquals(new StoreKey("*", "http://example.com:80/a?b=1"), CacheKeys.key("*", "Example.COM.", 80, "/a?b=1"));
        assertEquals(CacheKeys.key("i", "example.com", 8080, "/a"), CacheKeys.key("i", "EXAMPLE.com", 8080, "/a"));
    }

    @Test
    void storedVariantMatchesOnlyTheSameValuesOfTheVariedFields() {
        ObjectMeta stored = storedFor(HttpFields.build().add("Accept-Encoding", "gzip,br"), "Vary", "accept-encoding");

        assertTrue(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Encoding", "gzip, br")));
        assertTrue(CacheKeys.variantMatches(stored,
                HttpFields.build().add("Accept-Encoding", "gzip").add("Accept-Encoding", "br")));
        assertFalse(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Encoding", "identity")));
        assertFalse(CacheKeys.variantMatches(stored, HttpFields.build()));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: Accept-Language values that differ in case and order of equal weights select one variant")
    void knownListFieldsAreComparedInTheirNormalForm() {
        ObjectMeta stored = storedFor(HttpFields.build().add("Accept-Language", "en-US, de"), "Vary", "Accept-Language");

        assertTrue(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Language", "de,EN-us")));
        assertFalse(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Language", "de, en-US;q=0.5")));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: a lookup's own normalised values decide as the request would, also when Vary changed")
    void matchingWithTheLookupsEntries() {
        HttpFields english = HttpFields.build().add("Accept-Language", "EN").add("X-Mode", "a");
        ObjectMeta stored = storedFor(HttpFields.build().add("Accept-Language", "en"), "Vary", "Accept-Language");
        Set<String> names = CacheKeys.varyNames(stored.headers());

        assertTrue(CacheKeys.variantMatches(stored, names, CacheKeys.variantEntries(stored.headers(), english), english));
        HttpFields french = HttpFields.build().add("Accept-Language", "fr");
        assertFalse(CacheKeys.variantMatches(stored, names, CacheKeys.variantEntries(stored.headers(), french), french));
        // The primary key varies on Accept-Language only; this variant (say, after a 304) on X-Mode too.
        ObjectMeta wider = storedFor(HttpFields.build().add("Accept-Language", "en"), "Vary", "Accept-Language, X-Mode");
        assertFalse(CacheKeys.variantMatches(wider, names, CacheKeys.variantEntries(stored.headers(), english), english));
    }

    @Test
    void absentVariedFieldMatchesOnlyItsAbsence() {
        ObjectMeta stored = storedFor(HttpFields.build(), "Vary", "Accept-Language");

        assertTrue(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Encoding", "gzip")));
        assertFalse(CacheKeys.variantMatches(stored, HttpFields.build().add("Accept-Language", "en")));
    }

    @Test
    void varyStarNeverMatchesAndNoVaryAlwaysDoes() {
        assertFalse(CacheKeys.variantMatches(storedFor(HttpFields.build(), "Vary", "*"), HttpFields.build()));
        assertTrue(CacheKeys.variantMatches(storedFor(HttpFields.build()), HttpFields.build().add("X", "y")));
    }

    @Test
    void variantEntriesAreInternalAndNeverReachAClient() {
        ObjectMeta stored = storedFor(HttpFields.build().add("Accept-Language", "en"), "Vary", "Accept-Language");

        assertTrue(stored.headers().stream().anyMatch(field -> CacheKeys.isInternal(field.getKey())));
        assertFalse(HeaderFields.toClientFields(stored.headers()).stream()
                .anyMatch(field -> CacheKeys.isInternal(field.getName())));
    }

    private static ObjectMeta storedFor(HttpFields request, String... responseFields) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < responseFields.length; i += 2) {
            fields.add(Map.entry(responseFields[i], responseFields[i + 1]));
        }
        fields.addAll(CacheKeys.variantEntries(fields, request));
        return new ObjectMeta(200, fields, Instant.EPOCH, Instant.EPOCH, Instant.MAX, 0);
    }
}
