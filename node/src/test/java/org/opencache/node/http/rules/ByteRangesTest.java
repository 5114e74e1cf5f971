package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.ByteRanges.Range;

class ByteRangesTest {

    @Test
    @DisplayName("RFC 9110 §14.1.2: first-last, open-ended and suffix ranges, clipped to the length")
    void rangeForms() {
        assertEquals(List.of(new Range(0, 9)), ranges("bytes=0-9", 100));
        assertEquals(List.of(new Range(90, 99)), ranges("bytes=90-", 100));
        assertEquals(List.of(new Range(95, 99)), ranges("bytes=-5", 100));
        assertEquals(List.of(new Range(0, 99)), ranges("bytes=-500", 100));
        assertEquals(List.of(new Range(50, 99)), ranges("bytes=50-1000", 100));
        assertEquals(List.of(new Range(0, 0), new Range(5, 6)), ranges("Bytes = 0-0 , 5-6", 100));
    }

    @Test
    @DisplayName("RFC 9110 §14.1.1: unsatisfiable ranges leave an empty set (416)")
    void unsatisfiable() {
        assertTrue(ByteRanges.parse("bytes=100-", 100).orElseThrow().unsatisfiable());
        assertTrue(ByteRanges.parse("bytes=-0", 100).orElseThrow().unsatisfiable());
        assertEquals(List.of(new Range(0, 1)), ranges("bytes=200-300, 0-1", 100));
    }

    @Test
    @DisplayName("RFC 9110 §14.2: invalid fields, other units and too many ranges are ignored")
    void ignored() {
        for (String field : new String[] {"bytes=5-1", "bytes=a-b", "bytes=", "items=0-1", "bytes 0-1", "bytes=1"}) {
            assertEquals(Optional.empty(), ByteRanges.parse(field, 100), field);
        }
        assertEquals(Optional.empty(), ByteRanges.parse("bytes=" + "0-0,".repeat(ByteRanges.MAX_RANGES) + "1-1", 100));
    }

    @Test
    @DisplayName("RFC 9110 §14.4: Content-Range of one range")
    void contentRange() {
        assertEquals("bytes 95-99/100", new Range(95, 99).contentRange(100));
    }

    private static List<Range> ranges(String field, long length) {
        return ByteRanges.parse(field, length).orElseThrow().ranges();
    }
}
