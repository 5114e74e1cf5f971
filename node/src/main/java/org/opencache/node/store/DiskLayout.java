package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Where the disk tier keeps its files, under {@code cache_path/objects/}:
 *
 * <pre>
 * objects/.lock                     held while a store has the directory open
 * objects/meta/3f/3fa9…e1.json      one per key: sha-256 of (instance, key), see {@link MetaFile}
 * objects/bodies/c0/c04d…9b.body    one per body: a random id, shared by linked keys
 * objects/tmp/….tmp                 bodies and metadata being written
 * </pre>
 *
 * Files are sharded by the first two hex digits of their name so that no directory grows past a
 * few thousand entries. Everything becomes visible by an atomic rename from {@code tmp/}, so a
 * crash leaves at worst a temp file or an unreferenced body, which the next start deletes.
 * Directories are created 0700 and files 0600 ({@link PrivateFiles}).
 */
final class DiskLayout {
    /** Suffix of metadata files. */
    static final String META_SUFFIX = ".json";
    /** Suffix of body files. */
    static final String BODY_SUFFIX = ".body";

    private static final HexFormat HEX = HexFormat.of();
    private static final MessageDigest SHA_256 = sha256();

    private final Path root;
    private final Path metaDir;
    private final Path bodyDir;
    private final Path tempDir;

    /** The layout under {@code cachePath}; nothing is created yet. */
    DiskLayout(Path cachePath) {
        this.root = cachePath.resolve("objects");
        this.metaDir = root.resolve("meta");
        this.bodyDir = root.resolve("bodies");
        this.tempDir = root.resolve("tmp");
    }

    /** Creates the directories and locks them against a second store, in this or another process. */
    FileLock lock() throws IOException {
        PrivateFiles.createDirectories(metaDir);
        PrivateFiles.createDirectories(bodyDir);
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

    /** {@code objects/meta/}. */
    Path metaDir() {
        return metaDir;
    }

    /** {@code objects/bodies/}. */
    Path bodyDir() {
        return bodyDir;
    }

    /** {@code objects/tmp/}. */
    Path tempDir() {
        return tempDir;
    }

    /** The metadata file of {@code key}. */
    Path metaPath(StoreKey key) {
        return sharded(metaDir, metaName(key), META_SUFFIX);
    }

    /** The body file of body {@code id}. */
    Path bodyPath(String id) {
        return sharded(bodyDir, id, BODY_SUFFIX);
    }

    /**
     * The metadata file name (without suffix) of {@code key}: a hash, because cache keys are URLs
     * of any length and characters, and a fixed name lets a replace be one atomic rename.
     */
    static String metaName(StoreKey key) {
        try {
            // A clone skips the provider look-up of getInstance, which cost more than the hash (JFR).
            MessageDigest sha = (MessageDigest) SHA_256.clone();
            sha.update(key.instance().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key.key().getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(sha.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** A fresh body id: random, so a replaced body never shares a name with the new one. */
    static String newBodyId() {
        UUID id = UUID.randomUUID();
        return HEX.toHexDigits(id.getMostSignificantBits()) + HEX.toHexDigits(id.getLeastSignificantBits());
    }

    /**
     * A new temp file, open for writing; its name is {@link TempFile#path()}. One open(2) with
     * O_CREAT|O_EXCL: {@code Files.createTempFile} and a second open would cost two more calls per
     * object, and file system calls are what misses spend most of their time in. The directory is
     * created again only when it has gone missing: checking on every write would cost a failed
     * mkdir (and an exception) per object.
     */
    TempFile newTempFile() throws IOException {
        Path path = tempDir.resolve("w" + newBodyId() + ".tmp");
        try {
            return new TempFile(path, PrivateFiles.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
            PrivateFiles.createDirectories(tempDir);
            return new TempFile(path, PrivateFiles.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }
    }

    /** A temp file being written: its name and its open channel. */
    record TempFile(Path path, FileChannel channel) {
    }

    /** A new temp file holding {@code content}, to be {@link #publish published} later. */
    Path writeTemp(byte[] content) throws IOException {
        TempFile temp = newTempFile();
        try (FileChannel channel = temp.channel()) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return temp.path();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp.path());
            throw e;
        }
    }

    /**
     * Atomically moves a finished temp file to {@code target}, replacing what is there. The
     * target's shard directory is created on first use (or when it has gone missing).
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Path sharded(Path dir, String name, String suffix) {
        return dir.resolve(name.substring(0, 2)).resolve(name + suffix);
    }
}
