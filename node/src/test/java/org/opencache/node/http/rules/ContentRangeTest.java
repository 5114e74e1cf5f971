package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.node.http.rules.ByteRanges.Range;

class ContentRangeTest {

    @Test
    @DisplayName("RFC 9110 §14.4: bytes first-last/complete-length places a part in its representation")
    void complete() {
        assertEquals(Optional.of(new ContentRange(new Range(4, 9), 10)), ContentRange.parse("bytes 4-9/10"));
        assertEquals(Optional.of(new ContentRange(new Range(0, 0), 1)), ContentRange.parse(" Bytes 0-0/1 "));
    }

    @Test
    @DisplayName("RFC 9110 §14.4: an unknown length, an unsatisfied-range form, other units and invalid ranges are not parts")
    void rejected() {
        for (String field : new String[] {"bytes 0-4/*", "bytes */10", "items 0-4/10", "bytes 5-4/10", "bytes 0-10/10",
                "bytes 0-4", "bytes=0-4/10", "bytes -1-4/10", "bytes 0-4/1x", "", "bytes 0-99999999999999999999/1"}) {
            assertEquals(Optional.empty(), ContentRange.parse(field), field);
        }
        assertEquals(Optional.empty(), ContentRange.parse(null));
    }
}
