package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.INSTANCE;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code seed}: several keys served by one stored body. */
class StoreLinkTest extends StoreTestBase {
    private final byte[] seeded = body(4096, 9);

    @BeforeEach
    void seed() {
        open(1 << 20, 0, 0);
        put(store, key("target"), seeded);
        for (String alias : new String[] {"alias1", "alias2", "alias3"}) {
            store.link(key(alias), key("target"));
        }
    }

    @Test
    void aliasesShareOneBodyCountedOnce() {
        for (String name : new String[] {"target", "alias1", "alias2", "alias3"}) {
            assertArrayEquals(seeded, read(store, key(name)));
            assertEquals(store.lookup(key("target")).orElseThrow().meta(),
                    store.lookup(key(name)).orElseThrow().meta());
        }
        assertEquals(1, bodyFiles(dir).size());
        assertEquals(1, store.objectCount(INSTANCE));
        assertEquals(4096, store.objectBytes(INSTANCE));
        assertEquals(StoreTesting.du(dir), store.diskBytes());
    }

    @Test
    void bodyStaysUntilItsLastKeyIsRemoved() {
        assertTrue(store.remove(key("alias1")));
        assertTrue(store.remove(key("target")));
        assertEquals(1, bodyFiles(dir).size());
        assertArrayEquals(seeded, read(store, key("alias2")));

        assertTrue(store.remove(key("alias2")));
        assertTrue(store.remove(key("alias3")));
        assertTrue(bodyFiles(dir).isEmpty(), "the body's segment goes with its last key");
        assertEquals(0, store.objectCount(INSTANCE));
        assertEquals(StoreTesting.du(dir), store.diskBytes());
    }

    @Test
    void replacingTheTargetLeavesAliasesOnTheSeededBody() {
        put(store, key("target"), body(10, 1));
        assertArrayEquals(body(10, 1), read(store, key("target")));
        assertArrayEquals(seeded, read(store, key("alias1")));
        assertEquals(1, bodyFiles(dir).size(), "the new small object is in a shared segment");
        assertEquals(2, store.objectCount(INSTANCE));
        assertEquals(4106, store.objectBytes(INSTANCE));
    }

    @Test
    void relinkingAnAliasReleasesItsOldBody() {
        put(store, key("other"), body(10, 1));
        store.link(key("alias1"), key("other"));
        store.link(key("alias1"), key("other"));
        assertArrayEquals(body(10, 1), read(store, key("alias1")));
        assertEquals(2, bodyFiles(dir).size());
        store.remove(key("other"));
        store.remove(key("alias1"));
        assertEquals(1, bodyFiles(dir).size());
    }

    @Test
    void linkToAnAbsentTargetDoesNothing() {
        store.link(key("alias4"), key("absent"));
        assertTrue(store.lookup(key("alias4")).isEmpty());
        store.link(key("target"), key("target"));
        assertArrayEquals(seeded, read(store, key("target")));
    }

    @Test
    void linksSurviveARestart() {
        store.close();
        open(1 << 20, 0, 0);
        for (String name : new String[] {"target", "alias1", "alias2", "alias3"}) {
            assertArrayEquals(seeded, read(store, key(name)));
        }
        assertEquals(1, store.objectCount(INSTANCE));
        assertEquals(4096, store.objectBytes(INSTANCE));
        store.remove(key("target"));
        store.remove(key("alias1"));
        store.remove(key("alias2"));
        assertEquals(1, bodyFiles(dir).size());
        store.remove(key("alias3"));
        assertTrue(bodyFiles(dir).isEmpty());
    }

    @Test
    void aliasInAnotherInstanceCountsForBoth() {
        StoreKey elsewhere = new StoreKey("mirror.example.com", "GET http://mirror.example.com/x");
        store.link(elsewhere, key("target"));
        assertEquals(1, store.objectCount("mirror.example.com"));
        assertEquals(4096, store.objectBytes("mirror.example.com"));
        store.removeInstance(INSTANCE);
        assertArrayEquals(seeded, read(store, elsewhere));
        assertEquals(1, bodyFiles(dir).size());
    }
}
