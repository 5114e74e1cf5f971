package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeapSizeTest {
    private static final long MIB = 1L << 20;

    @Test
    void nodeIsMaxCacheSizePlusHeadroom() {
        assertEquals(OptionalLong.of(8 + 128), new HeapSize(false, true, 8 * MIB, 0).maxHeapMib());
        assertEquals(OptionalLong.of(1024 + 128), new HeapSize(false, true, 1L << 30, 0).maxHeapMib());
    }

    @Test
    void aNodeGetsRoomForTheIndexOfADiskFullOfOneBlockObjects() {
        // 10 GiB of 4 KiB objects: 2 621 440 keys x 128 B = 320 MiB.
        HeapSize size = new HeapSize(false, true, 1L << 30, 10L << 30);
        assertEquals(OptionalLong.of(1024 + 128 + 320), size.maxHeapMib());
        assertTrue(size.explanation().contains("320 MiB disk index"), size.explanation());
        assertEquals(OptionalLong.of(8 + 128 + 64), new HeapSize(true, true, 8 * MIB, 8 * MIB).maxHeapMib(),
                "the benchmark's 8 MiB disk needs no room of its own");
        assertEquals(OptionalLong.of(64), new HeapSize(true, false, 0, 10L << 30).maxHeapMib(), "no node, no index");
    }

    @Test
    void controllerAloneHasAFixedHeapWhateverMaxCacheSize() {
        assertEquals(OptionalLong.of(64), new HeapSize(true, false, 0, 0).maxHeapMib());
        assertEquals(OptionalLong.of(64), new HeapSize(true, false, 1L << 30, 0).maxHeapMib());
    }

    @Test
    void bothRolesAddUp() {
        assertEquals(OptionalLong.of(8 + 128 + 64), new HeapSize(true, true, 8 * MIB, 0).maxHeapMib());
    }

    @Test
    void theInitialHeapIsHalfTheMaximum() {
        assertEquals(OptionalLong.of(100), new HeapSize(true, true, 8 * MIB, 0).initialHeapMib());
        assertEquals(OptionalLong.of(32), new HeapSize(true, false, 0, 0).initialHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(false, true, 0, 0).initialHeapMib());
    }

    @Test
    void aPartialMebibyteRoundsUpSoTheTierFits() {
        assertEquals(OptionalLong.of(2 + 128), new HeapSize(false, true, MIB + 1, 0).maxHeapMib());
        assertEquals(OptionalLong.of(1 + 128), new HeapSize(false, true, 1, 0).maxHeapMib());
    }

    @Test
    void unboundedMemoryTierKeepsTheJvmDefault() {
        assertEquals(OptionalLong.empty(), new HeapSize(false, true, 0, 0).maxHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(true, true, 0, 0).maxHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(true, true, 0, 0).initialHeapMib());
        assertTrue(new HeapSize(false, true, 0, 0).explanation().contains("default"));
    }

    @Test
    void explanationNamesEveryPart() {
        assertEquals("max_cache_size 8 MiB + 128 MiB node headroom + 64 MiB controller",
                new HeapSize(true, true, 8 * MIB, 0).explanation());
        assertEquals("max_cache_size 64 MiB + 128 MiB node headroom", new HeapSize(false, true, 64 * MIB, 0).explanation());
        assertEquals("64 MiB controller", new HeapSize(true, false, 0, 0).explanation());
    }

    @Test
    void rejectsNoRoleAndNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> new HeapSize(false, false, MIB, 0));
        assertThrows(IllegalArgumentException.class, () -> new HeapSize(false, true, -1, 0));
    }
}
