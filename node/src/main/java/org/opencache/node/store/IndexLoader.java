package org.opencache.node.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link StoreIndex} from the files at start, and deletes what an interrupted
 * write or a crash left behind: temp files, metadata that cannot be read or whose body is missing
 * or of the wrong size (a power cut can persist a rename before the data), and bodies no
 * metadata names. Each unusable metadata file gets one WARN line; the rest a summary.
 *
 * <p>Last access is not persisted; the LRU starts in the order keys were last written.
 */
final class IndexLoader {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    private final DiskLayout layout;
    private final Map<String, Body> bodies = new HashMap<>();
    private final Map<String, String> unusableBodies = new HashMap<>();
    private final List<Loaded> loaded = new ArrayList<>();

    private record Loaded(IndexEntry entry, Instant used) {
    }

    private IndexLoader(DiskLayout layout) {
        this.layout = layout;
    }

    /** Scans the files under {@code layout} (directories already created) into a new index. */
    static StoreIndex load(DiskLayout layout) throws IOException {
        IndexLoader loader = new IndexLoader(layout);
        loader.deleteTempFiles();
        forEachFile(layout.metaDir(), loader::loadMeta);
        loader.deleteUnusedBodies();
        return loader.index();
    }

    private void deleteTempFiles() throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.tempDir())) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && DiskLayout.deleteQuietly(file)) {
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            LOG.warn("Deleted {} temp files of writes interrupted before the last stop, in {}",
                    deleted, layout.tempDir());
        }
    }

    private void loadMeta(Path file) {
        try {
            MetaFile meta = MetaFile.read(file);
            StoreKey key = meta.storeKey();
            if (!file.equals(layout.metaPath(key))) {
                throw new IOException("it belongs at " + layout.metaPath(key));
            }
            Body body = body(meta.body(), meta.bodyLength());
            loaded.add(new Loaded(new IndexEntry(key, meta.toMeta(), body), meta.usedAt()));
        } catch (IOException e) {
            LOG.warn("Deleting unusable metadata file {}: {}", file, e.getMessage());
            DiskLayout.deleteQuietly(file);
        }
    }

    /** The body {@code id} if its file is there with {@code length} bytes; else IOException. */
    private Body body(String id, long length) throws IOException {
        Body known = bodies.get(id);
        if (known != null && known.length() == length) {
            return known;
        }
        String problem = known != null ? "its body has " + known.length() + " bytes, not " + length
                : unusableBodies.get(id);
        if (problem == null) {
            Path path = layout.bodyPath(id);
            long size = size(path);
            if (size == length) {
                Body body = new Body(id, length, path, 0);
                bodies.put(id, body);
                return body;
            }
            problem = size < 0 ? "body " + path + " is missing" : "body " + path + " has " + size
                    + " bytes, not " + length;
            DiskLayout.deleteQuietly(path);
            unusableBodies.put(id, problem);
        }
        throw new IOException(problem);
    }

    private void deleteUnusedBodies() throws IOException {
        int[] deleted = {0};
        forEachFile(layout.bodyDir(), file -> {
            String name = file.getFileName().toString();
            String id = name.endsWith(DiskLayout.BODY_SUFFIX)
                    ? name.substring(0, name.length() - DiskLayout.BODY_SUFFIX.length()) : name;
            Body body = bodies.get(id);
            if ((body == null || !body.path().equals(file)) && DiskLayout.deleteQuietly(file)) {
                deleted[0]++;
            }
        });
        if (deleted[0] > 0) {
            LOG.warn("Deleted {} body files that no metadata named (a write or removal was "
                    + "interrupted), in {}", deleted[0], layout.bodyDir());
        }
    }

    private StoreIndex index() {
        // Replay writes in time order so each body's tick is that of its latest key.
        loaded.sort(Comparator.comparing(Loaded::used));
        long tick = 0;
        for (Loaded item : loaded) {
            item.entry().body().touch(++tick);
        }
        StoreIndex index = new StoreIndex(tick);
        for (Loaded item : loaded) {
            index.put(item.entry());
        }
        return index;
    }

    /** Calls {@code action} for each regular file in {@code dir} and its shard directories. */
    private static void forEachFile(Path dir, FileAction action) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.isDirectory(child)) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(child)) {
                        for (Path file : files) {
                            if (Files.isRegularFile(file)) {
                                action.accept(file);
                            }
                        }
                    }
                } else if (Files.isRegularFile(child)) {
                    action.accept(child);
                }
            }
        }
    }

    /** A step of the scan over one file. */
    @FunctionalInterface
    private interface FileAction {
        void accept(Path file) throws IOException;
    }

    private static long size(Path path) throws IOException {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
