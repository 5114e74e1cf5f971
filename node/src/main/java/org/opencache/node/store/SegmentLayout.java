package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where the disk tier keeps its files, under {@code cache_path/objects/}:
 *
 * <pre>
 * objects/.lock                          held while a store has the directory open
 * objects/segments/00000000000000a1.seg  a shared segment: small objects and tombstones, appended
 * objects/segments/00000000000000a2.big  a large segment: one body and the records of its keys
 * objects/tmp/w….tmp                     large bodies being written
 * </pre>
 *
 * A segment's name is its sequence number, in hex: the order in which the disk tier reclaims
 * space, oldest first ({@link DiskTier}). Shared segments hold many objects each, so a small
 * object costs no file of its own and {@code max_disk} is what {@code du} shows; a body too
 * large to share a segment gets a segment of its own, so that it can be sent with
 * {@code sendfile(2)} and reclaimed without copying. Directories are created 0700 and files 0600
 * ({@link PrivateFiles}).
 */
final class SegmentLayout {
    /** Suffix of shared segments. */
    static final String SHARED_SUFFIX = ".seg";
    /** Suffix of large segments. */
    static final String LARGE_SUFFIX = ".big";

    private final Path root;
    private final Path segmentDir;
    private final Path tempDir;

    /** The layout under {@code cachePath}; nothing is created yet. */
    SegmentLayout(Path cachePath) {
        this.root = cachePath.resolve("objects");
        this.segmentDir = root.resolve("segments");
        this.tempDir = root.resolve("tmp");
    }

    /** Creates the directories and locks them against a second store, in this or another process. */
    FileLock lock() throws IOException {
        PrivateFiles.createDirectories(segmentDir);
        PrivateFiles.createDirectories(tempDir);
        FileChannel channel = PrivateFiles.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // Another store in this JVM holds it: the same answer as another process.
        }
        channel.close();
        throw new IOException(root + " is in use by another OpenCache store");
    }

    /** {@code objects/}. */
    Path root() {
        return root;
    }

    /** {@code objects/segments/}. */
    Path segmentDir() {
        return segmentDir;
    }

    /** {@code objects/tmp/}. */
    Path tempDir() {
        return tempDir;
    }

    /** The file of segment {@code seq}. */
    Path segmentPath(long seq, boolean large) {
        return segmentDir.resolve(String.format("%016x", seq) + (large ? LARGE_SUFFIX : SHARED_SUFFIX));
    }

    /**
     * The sequence number a segment file's name gives, or -1 if the name is not a segment's.
     */
    static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != 16 + 4 || !(name.endsWith(SHARED_SUFFIX) || name.endsWith(LARGE_SUFFIX))) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a segment file's name says it is a large segment. */
    static boolean isLarge(Path file) {
        return file.getFileName().toString().endsWith(LARGE_SUFFIX);
    }

    /**
     * A new temp file, open for reading and writing. One open(2) with O_CREAT|O_EXCL; the
     * directory is created again only when it has gone missing (checking on every write would cost
     * a failed mkdir per object).
     */
    TempFile newTempFile() throws IOException {
        UUID id = UUID.randomUUID();
        Path path = tempDir.resolve("w" + Long.toHexString(id.getMostSignificantBits())
                + Long.toHexString(id.getLeastSignificantBits()) + ".tmp");
        return new TempFile(path, createIn(tempDir, path));
    }

    /** A temp file being written: its name and its open channel. */
    record TempFile(Path path, FileChannel channel) {

        /** Closes and deletes the file: it will not be stored. */
        void discard() {
            try {
                channel.close();
            } catch (IOException e) {
                // Deleted next; a close error changes nothing.
            }
            deleteQuietly(path);
        }
    }

    /** Creates a new, empty segment file open for reading and writing. */
    FileChannel createSegment(Path path) throws IOException {
        return createIn(segmentDir, path);
    }

    /**
     * Atomically moves a finished file to {@code target}, replacing what is there; the segment
     * directory is created again if it has gone missing.
     */
    void publish(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            if (Files.notExists(temp)) {
                throw e;
            }
            PrivateFiles.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Deletes a file if it is there; true if it is gone (or never was). */
    static boolean deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates {@code path}, new, open for reading and writing, making {@code dir} again if it has gone missing. */
    private static FileChannel createIn(Path dir, Path path) throws IOException {
        try {
            return PrivateFiles.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            PrivateFiles.createDirectories(dir);
            return PrivateFiles.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
    }
}
