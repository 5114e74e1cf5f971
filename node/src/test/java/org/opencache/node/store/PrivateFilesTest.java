package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The cache's directories are 0700 and its files 0600 (docs/design.md §6, "Store tiers"). */
class PrivateFilesTest extends StoreTestBase {

    /** Every directory and file under {@code root} with a mode other than 0700/0600, as "path mode". */
    static List<String> notPrivate(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> {
                try {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                    return !mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(path -> path + " " + mode(path)).toList();
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void storeCreatesPrivateDirectoriesAndFiles() throws Exception {
        Path cachePath = dir.resolve("cache");
        store = StoreTesting.open(cachePath, 1 << 20, 1 << 20, 1 << 20, 4);

        assertTrue(StoreTesting.put(store, key("a"), body(100, 1)));
        assertTrue(StoreTesting.put(store, key("b"), body(70_000, 2)));
        store.link(key("c"), key("a"));

        assertEquals(2, StoreTesting.bodyFiles(cachePath).size(), "b and the linked a have segments of their own");
        assertEquals(1, StoreTesting.sharedSegments(cachePath).size());
        assertEquals(List.of(), notPrivate(cachePath.resolve("objects")));
    }

    @Test
    void tightenNarrowsWhatAnOlderVersionLeftOpen() throws Exception {
        Path cachePath = dir.resolve("old");
        Files.createDirectories(cachePath.resolve("objects/meta/3f"));
        Files.writeString(cachePath.resolve("node.uuid"), "x");
        Files.writeString(cachePath.resolve("objects/meta/3f/deep.json"), "{}");
        try (Stream<Path> paths = Files.walk(cachePath)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }

        List<Path> changed = PrivateFiles.tighten(cachePath, 3);

        assertEquals(5, changed.size(), changed.toString());
        assertEquals(List.of(cachePath.resolve("objects/meta/3f/deep.json") + " rw-r--r--"), notPrivate(cachePath),
                "everything down to the shards; the file below is out of reach through them");
        assertEquals(List.of(), PrivateFiles.tighten(cachePath, 3), "a second start changes nothing");
    }
}
