package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.http.rules.PolicyFixtures.fields;
import static org.opencache.node.http.rules.PolicyFixtures.httpFields;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoreWriter;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.testing.MutableClock;

/** Variants side by side on the node's real store (RFC 9111 §4.1). */
class VariantsTest {
    private final MutableClock clock = new MutableClock();
    private final StoreKey primary = new StoreKey("i", "http://example.com:80/v");
    private TieredObjectStore store;
    private Variants variants;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        store = TieredObjectStore.open(dir, 0, 0, 0, 256, clock);
        variants = new Variants(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    @DisplayName("RFC 9111 §4.1: each variant is found under its own key; the primary key names the fields")
    void variantsSideBySide() throws Exception {
        store("en", "english");
        store("fr", "french");

        assertEquals("english", body(variants.find(primary, language("en"))));
        assertEquals("french", body(variants.find(primary, language("fr"))));
        Variants.Located german = variants.find(primary, language("de"));
        assertNull(german.object());
        assertTrue(german.varyMiss());
    }

    @Test
    @DisplayName("RFC 9111 §4.4: removing the primary key retires every variant stored before")
    void removingThePrimaryRetiresVariants() throws Exception {
        store("en", "english");
        store("fr", "french");

        store.remove(primary);
        store("en", "english again");

        assertEquals("english again", body(variants.find(primary, language("en"))));
        assertNull(variants.find(primary, language("fr")).object());
    }

    @Test
    @DisplayName("RFC 9111 §4.1: a response without Vary lives under the primary key")
    void withoutVary() {
        ObjectMeta meta = new ObjectMeta(200, fields("Cache-Control", "max-age=60"), Instant.EPOCH, Instant.EPOCH,
                Instant.MAX, 0);
        Variants.Placement placement = variants.place(primary, meta, HttpFields.EMPTY);
        assertEquals(primary, placement.key());
        assertNull(placement.primary());
        assertFalse(placement.meta().headers().stream().anyMatch(field -> CacheKeys.isInternal(field.getKey())));
    }

    private void store(String language, String body) {
        HttpFields request = language(language);
        List<Map.Entry<String, String>> headers = new ArrayList<>(fields("Vary", "Accept-Language",
                "Cache-Control", "max-age=60"));
        headers.addAll(CacheKeys.variantEntries(headers, request));
        ObjectMeta meta = new ObjectMeta(200, headers, clock.instant(), clock.instant(), Instant.MAX, -1);
        Variants.Placement placement = variants.place(primary, meta, request);
        StoreWriter writer = store.begin(placement.key(), placement.meta());
        writer.write(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(writer.commit());
        variants.link(placement);
    }

    private static HttpFields language(String language) {
        return httpFields("Accept-Language", language);
    }

    private static String body(Variants.Located located) throws Exception {
        try (var in = located.object().openBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
