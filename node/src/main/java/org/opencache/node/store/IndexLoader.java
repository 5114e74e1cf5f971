package org.opencache.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link StoreIndex} from the files at start, and deletes what an interrupted
 * write or a crash left behind: temp files, metadata that cannot be read or whose body is missing
 * or of the wrong size (a power cut can persist a rename before the data), and bodies no
 * metadata names. Each unusable metadata file gets one WARN line; the rest a summary.
 *
 * <p>Metadata files are read in parallel: the scan is a file open, read and parse plus a stat
 * of the body per key, and a node restarts faster when those overlap. Last access is not
 * persisted; the eviction policy starts from the order keys were last written.
 */
final class IndexLoader {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    private final DiskLayout layout;
    /** Body id → its {@link Body}, or a String saying why it is unusable. */
    private final ConcurrentHashMap<String, Object> bodies = new ConcurrentHashMap<>();

    private record Loaded(IndexEntry entry, Instant used) {
    }

    private IndexLoader(DiskLayout layout) {
        this.layout = layout;
    }

    /** Scans the files under {@code layout} (directories already created) into a new index tracked by {@code policy}. */
    static StoreIndex load(DiskLayout layout, DiskPolicy policy) throws IOException {
        IndexLoader loader = new IndexLoader(layout);
        loader.deleteTempFiles();
        List<Loaded> loaded;
        try {
            loaded = filesIn(layout.metaDir()).parallelStream()
                    .map(loader::loadMeta)
                    .filter(Objects::nonNull)
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        loader.deleteUnusedBodies();
        return index(loaded, policy);
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
            LOG.warn("Deleted {} temp files of writes or deletions interrupted before the last stop, in {}",
                    deleted, layout.tempDir());
        }
    }

    /** The key of one metadata file, or null (the file deleted, with a WARN) if it is unusable. */
    private Loaded loadMeta(Path file) {
        try {
            MetaFile meta = MetaFile.read(file);
            StoreKey key = meta.storeKey();
            if (!file.equals(layout.metaPath(key))) {
                throw new IOException("it belongs at " + layout.metaPath(key));
            }
            Body body = body(meta.body(), meta.bodyLength());
            return new Loaded(new IndexEntry(key, meta.toMeta(), body), meta.usedAt());
        } catch (IOException e) {
            if (!Files.isDirectory(file)) {
                LOG.warn("Deleting unusable metadata file {}: {}", file, e.getMessage());
                DiskLayout.deleteQuietly(file);
            }
            return null;
        }
    }

    /** The body {@code id} if its file is there with {@code length} bytes; else IOException. */
    private Body body(String id, long length) throws IOException {
        Object known = bodies.computeIfAbsent(id, i -> probe(i, length));
        if (known instanceof Body body) {
            if (body.length() == length) {
                return body;
            }
            throw new IOException("its body has " + body.length() + " bytes, not " + length);
        }
        throw new IOException((String) known);
    }

    /** Checks a body file on first sight: its {@link Body}, or why it is unusable (then deleted). */
    private Object probe(String id, long length) {
        Path path = layout.bodyPath(id);
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            return "body " + path + " is missing";
        } catch (IOException e) {
            return "body " + path + " is unreadable: " + e;
        }
        if (size != length) {
            DiskLayout.deleteQuietly(path);
            return "body " + path + " has " + size + " bytes, not " + length;
        }
        return new Body(id, length, path);
    }

    private void deleteUnusedBodies() throws IOException {
        AtomicInteger deleted = new AtomicInteger();
        for (Path file : filesIn(layout.bodyDir())) {
            String name = file.getFileName().toString();
            String id = name.endsWith(DiskLayout.BODY_SUFFIX)
                    ? name.substring(0, name.length() - DiskLayout.BODY_SUFFIX.length()) : name;
            boolean used = bodies.get(id) instanceof Body body && body.path().equals(file);
            if (!used && !Files.isDirectory(file) && DiskLayout.deleteQuietly(file)) {
                deleted.incrementAndGet();
            }
        }
        if (deleted.get() > 0) {
            LOG.warn("Deleted {} body files that no metadata named (a write or removal was "
                    + "interrupted), in {}", deleted.get(), layout.bodyDir());
        }
    }

    private static StoreIndex index(List<Loaded> loaded, DiskPolicy policy) {
        // Replay writes in time order, so the policy first sees the bodies in the order they were used.
        List<Loaded> byTime = new ArrayList<>(loaded);
        byTime.sort(Comparator.comparing(Loaded::used));
        StoreIndex index = new StoreIndex(policy);
        for (Loaded item : byTime) {
            index.put(item.entry());
        }
        return index;
    }

    /**
     * The entries of {@code dir} and of its shard directories, without a stat each (the caller
     * meets the odd directory when it reads it).
     */
    private static List<Path> filesIn(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!Files.isDirectory(child)) {
                    files.add(child);
                    continue;
                }
                try (DirectoryStream<Path> shard = Files.newDirectoryStream(child)) {
                    shard.forEach(files::add);
                }
            }
        }
        return files;
    }
}
