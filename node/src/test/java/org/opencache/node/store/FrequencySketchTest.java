package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The TinyLFU frequency sketch: counts, collisions, aging and size. */
class FrequencySketchTest {

    @Test
    void aKeyCountsAtLeastItsIncrementsUpToFifteen() {
        FrequencySketch sketch = new FrequencySketch(10_000);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 5_000; i++) {
            sketch.increment(random.nextLong());
        }
        long[] keys = new long[40];
        for (int n = 0; n < keys.length; n++) {
            keys[n] = random.nextLong();
            for (int i = 0; i < n; i++) {
                sketch.increment(keys[n]);
            }
        }
        for (int n = 0; n < keys.length; n++) {
            int frequency = sketch.frequency(keys[n]);
            assertTrue(frequency >= Math.min(n, 15) && frequency <= 15, n + " increments read " + frequency);
        }
        assertEquals(15, sketch.frequency(keys[39]));
    }

    @Test
    void unseenKeysReadLow() {
        FrequencySketch sketch = new FrequencySketch(10_000);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 10_000; i++) {
            sketch.increment(random.nextLong());
        }
        long total = 0;
        int zero = 0;
        for (int i = 0; i < 10_000; i++) {
            int frequency = sketch.frequency(random.nextLong());
            total += frequency;
            zero += frequency == 0 ? 1 : 0;
        }
        double average = total / 10_000.0;
        System.out.printf("FrequencySketch: unseen keys read %.4f on average, %d of 10 000 read 0%n", average, zero);
        assertTrue(average < 1, "average " + average);
        assertTrue(zero > 9_000, "unseen keys reading 0: " + zero);
    }

    @Test
    void agingHalvesTheCounts() {
        FrequencySketch sketch = new FrequencySketch(1_024);
        long sample = sketch.sampleSize();
        assertEquals(10 * 1_024, sample);
        long key = 0x5EED;
        for (int i = 0; i < 12; i++) {
            sketch.increment(key);
        }
        SplittableRandom random = new SplittableRandom(3);
        for (long i = 12; i < sample - 1; i++) {
            sketch.increment(random.nextLong());
        }
        int before = sketch.frequency(key);
        assertTrue(before >= 12, "before aging: " + before);
        sketch.increment(random.nextLong()); // the sample's last increment: the sketch ages
        int after = sketch.frequency(key);
        assertEquals(before / 2, after, "after aging, from " + before);

        // Half the sample later, it ages again (the count restarted at half).
        for (long i = 0; i < sample / 2; i++) {
            sketch.increment(random.nextLong());
        }
        assertTrue(sketch.frequency(key) <= after / 2 + 1, "second aging, from " + after + ": " + sketch.frequency(key));
    }

    @Test
    void heapBytesScaleWithExpectedEntries() {
        assertEquals(64 * Long.BYTES, new FrequencySketch(0).heapBytes());
        assertEquals(64 * Long.BYTES, new FrequencySketch(64).heapBytes());
        assertEquals(128 * Long.BYTES, new FrequencySketch(65).heapBytes());
        assertEquals(16_384 * Long.BYTES, new FrequencySketch(10_000).heapBytes());
        assertEquals(2 * new FrequencySketch(1 << 16).heapBytes(), new FrequencySketch(1 << 17).heapBytes());
        assertEquals((1L << 24) * Long.BYTES, new FrequencySketch(1L << 40).heapBytes());
    }
}
