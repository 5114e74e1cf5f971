package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.INSTANCE;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ObjectStore#purge} on a real store on disk: a URL with its variants, a prefix, large
 * bodies and links, a restart after the purge (tombstones), and a write in flight when the purge
 * arrives, whose commit must not bring the object back.
 */
class StorePurgeTest extends StoreTestBase {
    private static final String OTHER = "other.example";

    private static StoreKey key(String instance, String name) {
        return new StoreKey(instance, name);
    }

    private static PurgeMatch url(String url, boolean variants) {
        return new PurgeMatch(Set.of(INSTANCE), Set.of(url), List.of(), variants);
    }

    private static PurgeMatch prefix(String prefix) {
        return new PurgeMatch(Set.of(INSTANCE), Set.of(), List.of(prefix), false);
    }

    @Test
    void purgesOneUrlAndLeavesTheOthers() {
        open(0, 0, 0);
        put(store, key(INSTANCE, "http://a:80/x"), body(100, 1));
        put(store, key(INSTANCE, "http://a:80/xy"), body(100, 2));
        put(store, key(OTHER, "http://a:80/x"), body(100, 3));

        assertEquals(1, store.purge(url("http://a:80/x", false)));

        assertTrue(store.lookup(key(INSTANCE, "http://a:80/x")).isEmpty());
        assertArrayEquals(body(100, 2), read(store, key(INSTANCE, "http://a:80/xy")));
        assertArrayEquals(body(100, 3), read(store, key(OTHER, "http://a:80/x")), "another instance keeps its copy");
        assertEquals(0, store.purge(url("http://a:80/x", false)), "nothing left to purge");
    }

    @Test
    void purgesEveryVariantOfAUrl() {
        open(0, 0, 0);
        StoreKey primary = key(INSTANCE, "http://a:80/v");
        StoreKey gzip = key(INSTANCE, "http://a:80/v variant :vary:accept-encoding=gzip");
        StoreKey br = key(INSTANCE, "http://a:80/v variant :vary:accept-encoding=br");
        put(store, gzip, body(100, 1));
        put(store, br, body(5000, 2));
        store.link(primary, br);
        put(store, key(INSTANCE, "http://a:80/v2 variant :vary:accept-encoding=gzip"), body(100, 3));

        assertEquals(3, store.purge(url("http://a:80/v", true)), "the URL's primary key and both variants");

        assertTrue(store.lookup(primary).isEmpty());
        assertTrue(store.lookup(gzip).isEmpty());
        assertTrue(store.lookup(br).isEmpty());
        assertEquals(1, store.keys(), "the variant of another URL that shares the prefix stays");
    }

    @Test
    void purgesAPrefixFromMemoryAndDiskForGood() {
        open(1 << 20, 0, 0);
        for (int i = 0; i < 200; i++) {
            put(store, key(INSTANCE, "http://a:80/p/" + i), body(300, i));
            put(store, key(INSTANCE, "http://a:80/q/" + i), body(300, i));
        }
        put(store, key(INSTANCE, "http://a:80/p/large"), body(600_000, 7));
        assertTrue(StoreTesting.inMemory(store, key(INSTANCE, "http://a:80/p/3")));

        assertEquals(201, store.purge(prefix("http://a:80/p/")));

        assertEquals(200, store.keys());
        assertTrue(store.lookup(key(INSTANCE, "http://a:80/p/3")).isEmpty(), "gone from memory too");
        assertTrue(store.lookup(key(INSTANCE, "http://a:80/p/large")).isEmpty());
        store.close();
        open(1 << 20, 0, 0);
        assertEquals(200, store.keys(), "tombstones keep the purged objects from coming back after a restart");
        assertTrue(store.lookup(key(INSTANCE, "http://a:80/p/199")).isEmpty());
        assertArrayEquals(body(300, 5), read(store, key(INSTANCE, "http://a:80/q/5")));
    }

    @Test
    void aWriteInFlightWhenThePurgeArrivesIsNotKept() {
        open(0, 0, 0);
        StoreKey small = key(INSTANCE, "http://a:80/p/small");
        StoreKey large = key(INSTANCE, "http://a:80/p/large");
        StoreKey other = key(INSTANCE, "http://a:80/q/other");
        StoreWriter smallFill = store.begin(small, meta(100));
        smallFill.write(ByteBuffer.wrap(body(100, 1)));
        StoreWriter largeFill = store.begin(large, meta(-1));
        largeFill.write(ByteBuffer.wrap(body(700_000, 2)));
        StoreWriter otherFill = store.begin(other, meta(100));
        otherFill.write(ByteBuffer.wrap(body(100, 3)));

        assertEquals(0, store.purge(prefix("http://a:80/p/")), "nothing stored yet");

        assertFalse(smallFill.commit());
        assertEquals(Optional.of(StoreRefusal.PURGED), smallFill.refusal());
        assertFalse(largeFill.commit());
        assertEquals(Optional.of(StoreRefusal.PURGED), largeFill.refusal());
        assertTrue(otherFill.commit(), "a write the purge does not match is kept");
        assertTrue(store.lookup(small).isEmpty());
        assertTrue(store.lookup(large).isEmpty());
        StoreTesting.assertNoTempFiles(dir);

        assertTrue(put(store, small, body(100, 4)), "a write that begins after the purge is stored");
        assertArrayEquals(body(100, 4), read(store, small));
    }
}
