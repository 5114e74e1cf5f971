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
        assertEquals(OptionalLong.of(8 + 128), new HeapSize(false, true, 8 * MIB).maxHeapMib());
        assertEquals(OptionalLong.of(1024 + 128), new HeapSize(false, true, 1L << 30).maxHeapMib());
    }

    @Test
    void controllerAloneHasAFixedHeapWhateverMaxCacheSize() {
        assertEquals(OptionalLong.of(64), new HeapSize(true, false, 0).maxHeapMib());
        assertEquals(OptionalLong.of(64), new HeapSize(true, false, 1L << 30).maxHeapMib());
    }

    @Test
    void bothRolesAddUp() {
        assertEquals(OptionalLong.of(8 + 128 + 64), new HeapSize(true, true, 8 * MIB).maxHeapMib());
    }

    @Test
    void theInitialHeapIsHalfTheMaximum() {
        assertEquals(OptionalLong.of(100), new HeapSize(true, true, 8 * MIB).initialHeapMib());
        assertEquals(OptionalLong.of(32), new HeapSize(true, false, 0).initialHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(false, true, 0).initialHeapMib());
    }

    @Test
    void aPartialMebibyteRoundsUpSoTheTierFits() {
        assertEquals(OptionalLong.of(2 + 128), new HeapSize(false, true, MIB + 1).maxHeapMib());
        assertEquals(OptionalLong.of(1 + 128), new HeapSize(false, true, 1).maxHeapMib());
    }

    @Test
    void unboundedMemoryTierKeepsTheJvmDefault() {
        assertEquals(OptionalLong.empty(), new HeapSize(false, true, 0).maxHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(true, true, 0).maxHeapMib());
        assertEquals(OptionalLong.empty(), new HeapSize(true, true, 0).initialHeapMib());
        assertTrue(new HeapSize(false, true, 0).explanation().contains("default"));
    }

    @Test
    void explanationNamesEveryPart() {
        assertEquals("max_cache_size 8 MiB + 128 MiB node headroom + 64 MiB controller",
                new HeapSize(true, true, 8 * MIB).explanation());
        assertEquals("max_cache_size 64 MiB + 128 MiB node headroom", new HeapSize(false, true, 64 * MIB).explanation());
        assertEquals("64 MiB controller", new HeapSize(true, false, 0).explanation());
    }

    @Test
    void rejectsNoRoleAndNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> new HeapSize(false, false, MIB));
        assertThrows(IllegalArgumentException.class, () -> new HeapSize(false, true, -1));
    }
}
