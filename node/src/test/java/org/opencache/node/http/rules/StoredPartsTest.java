package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.ByteRanges.Range;
import org.opencache.node.http.rules.StoredParts.Part;

class StoredPartsTest {
    private static final Part LOW = new Part(new Range(0, 4), "a");
    private static final Part HIGH = new Part(new Range(5, 9), "b");
    private static final Part MIDDLE = new Part(new Range(3, 6), "c");

    @Test
    @DisplayName("RFC 9111 §3.3: a range is served from parts only when they hold every byte of it")
    void covers() {
        StoredParts parts = StoredParts.NONE.with(LOW);
        assertTrue(parts.covers(new Range(0, 4)));
        assertTrue(parts.covers(new Range(2, 3)));
        assertFalse(parts.covers(new Range(4, 5)));
        assertFalse(StoredParts.NONE.covers(new Range(0, 0)));
        // Adjacent parts cover a range across their boundary; a gap does not.
        assertTrue(parts.with(HIGH).covers(new Range(3, 7)));
        assertFalse(parts.with(new Part(new Range(6, 9), "d")).covers(new Range(3, 7)));
    }

    @Test
    @DisplayName("RFC 9110 §15.3.7.3: parts whose union is the whole representation are complete")
    void complete() {
        assertFalse(StoredParts.NONE.with(LOW).complete(10));
        assertTrue(StoredParts.NONE.with(HIGH).with(LOW).complete(10));
        assertTrue(StoredParts.NONE.with(LOW).with(MIDDLE).with(new Part(new Range(6, 9), "d")).complete(10));
        assertFalse(StoredParts.NONE.with(LOW).with(HIGH).complete(11));
        assertFalse(StoredParts.NONE.complete(0));
    }

    @Test
    @DisplayName("RFC 9111 §3.3: the stored prefix, which a range request for the rest completes")
    void prefixEnd() {
        assertEquals(-1, StoredParts.NONE.prefixEnd());
        assertEquals(-1, StoredParts.NONE.with(HIGH).prefixEnd());
        assertEquals(4, StoredParts.NONE.with(LOW).prefixEnd());
        assertEquals(6, StoredParts.NONE.with(MIDDLE).with(LOW).prefixEnd());
        assertEquals(4, StoredParts.NONE.with(LOW).with(new Part(new Range(6, 9), "d")).prefixEnd());
        assertEquals(9, StoredParts.NONE.with(HIGH).with(LOW).prefixEnd());
    }

    @Test
    @DisplayName("RFC 9111 §3.4: a range across parts is read from them in order, each from where the last ended")
    void readingOrder() {
        StoredParts parts = StoredParts.NONE.with(HIGH).with(MIDDLE).with(LOW);
        assertEquals(Optional.of(List.of(LOW, MIDDLE, HIGH)), parts.readingOrder(new Range(1, 8)));
        assertEquals(Optional.of(List.of(HIGH)), parts.readingOrder(new Range(7, 8)));
        assertEquals(Optional.empty(), StoredParts.NONE.with(LOW).readingOrder(new Range(1, 8)));
    }

    @Test
    @DisplayName("A newer part drops the parts it contains, and the oldest go past the limit")
    void bounded() {
        StoredParts parts = StoredParts.NONE.with(LOW).with(MIDDLE).with(new Part(new Range(0, 6), "e"));
        assertEquals(List.of(new Part(new Range(0, 6), "e")), parts.parts());
        assertEquals(List.of(LOW, MIDDLE), StoredParts.NONE.with(LOW).with(MIDDLE).droppedIn(parts));

        StoredParts many = StoredParts.NONE;
        for (int i = 0; i <= StoredParts.MAX_PARTS; i++) {
            many = many.with(new Part(new Range(i * 10L, i * 10L + 1), "p" + i));
        }
        assertEquals(StoredParts.MAX_PARTS, many.parts().size());
        assertEquals("p1", many.parts().getFirst().id());
    }

    @Test
    @DisplayName("The parts survive their record's entries; foreign or malformed entries are skipped")
    void entries() {
        StoredParts parts = StoredParts.NONE.with(LOW).with(HIGH);
        List<Map.Entry<String, String>> entries = new java.util.ArrayList<>(parts.entries());
        entries.add(Map.entry("ETag", "\"x\""));
        entries.add(Map.entry(StoredParts.ENTRY, "9-1 z"));
        entries.add(Map.entry(StoredParts.ENTRY, "junk"));
        assertEquals(parts, StoredParts.fromEntries(entries));
    }
}
