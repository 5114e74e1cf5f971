package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one body to a temp file (and, if it is small enough, to a heap copy for the memory
 * tier) and hands both to the store on commit. Any failure turns the writer into a no-op: the
 * temp file is deleted, a disk error is logged once, and {@link #commit()} returns false.
 *
 * <p>Used by one thread at a time, like the response it follows.
 */
final class TieredWriter implements StoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TieredWriter.class);
    private static final int FIRST_COPY_SIZE = 16 * 1024;

    private final TieredObjectStore store;
    private final StoreKey key;
    private final ObjectMeta meta;
    private final long sizeLimit;
    private final long memoryLimit;
    private final Path temp;
    private FileChannel channel;
    private byte[] copy;
    private long written;
    private StoredObject unkept;

    private TieredWriter(TieredObjectStore store, StoreKey key, ObjectMeta meta, long sizeLimit,
            long memoryLimit, Path temp, FileChannel channel) {
        this.store = store;
        this.key = key;
        this.meta = meta;
        this.sizeLimit = sizeLimit;
        this.memoryLimit = memoryLimit;
        this.temp = temp;
        this.channel = channel;
        long declared = meta.bodyLength();
        if (declared < 0) {
            copy = new byte[(int) Math.min(FIRST_COPY_SIZE, memoryLimit)];
        } else if (declared <= memoryLimit) {
            copy = new byte[(int) declared];
        }
    }

    /**
     * A writer for {@code key}, or a {@link RefusedWriter} (after one WARN) if no temp file can
     * be created.
     *
     * @param sizeLimit   the most bytes the body may have (0 = no limit)
     * @param memoryLimit the most bytes of body copied for the memory tier
     */
    static StoreWriter open(TieredObjectStore store, DiskLayout layout, StoreKey key, ObjectMeta meta,
            long sizeLimit, long memoryLimit) {
        try {
            DiskLayout.TempFile temp = layout.newTempFile();
            return new TieredWriter(store, key, meta, sizeLimit, memoryLimit, temp.path(), temp.channel());
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot write {}: {}", key, layout.tempDir(), e.toString());
            return RefusedWriter.INSTANCE;
        }
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (channel == null) {
            return;
        }
        int count = bytes.remaining();
        long total = written + count;
        long declared = meta.bodyLength();
        if (sizeLimit > 0 && total > sizeLimit || declared >= 0 && total > declared) {
            LOG.debug("Not storing {}: its body passed {} bytes", key, declared >= 0 ? declared : sizeLimit);
            discard();
            return;
        }
        keepCopy(bytes, total);
        try {
            // A duplicate has its own position: the caller's buffer is not touched.
            ByteBuffer view = bytes.duplicate();
            while (view.hasRemaining()) {
                channel.write(view);
            }
            written = total;
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public boolean commit() {
        if (channel == null) {
            return false;
        }
        if (meta.bodyLength() >= 0 && written != meta.bodyLength()) {
            LOG.debug("Not storing {}: body has {} of {} bytes", key, written, meta.bodyLength());
            discard();
            return false;
        }
        try {
            channel.close();
        } catch (IOException e) {
            fail(e);
            return false;
        }
        channel = null;
        byte[] bytes = copy == null || copy.length == written ? copy : Arrays.copyOf(copy, (int) written);
        copy = null;
        boolean published = store.publish(key, meta, temp, written, bytes);
        if (!published && bytes != null) {
            unkept = new UnkeptObject(meta.withBodyLength(written), bytes);
        }
        return published;
    }

    @Override
    public Optional<StoredObject> unkept() {
        return Optional.ofNullable(unkept);
    }

    @Override
    public void abort() {
        discard();
    }

    private void keepCopy(ByteBuffer bytes, long total) {
        if (copy == null) {
            return;
        }
        if (total > memoryLimit) {
            copy = null;
            return;
        }
        if (total > copy.length) {
            copy = Arrays.copyOf(copy, (int) Math.min(memoryLimit, Math.max(total, 2L * copy.length)));
        }
        // Absolute get: copies without moving the caller's position.
        bytes.get(bytes.position(), copy, (int) written, bytes.remaining());
    }

    private void fail(IOException e) {
        LOG.warn("Not storing {}: cannot write {}: {}", key, temp, e.toString());
        discard();
    }

    private void discard() {
        copy = null;
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The file is deleted next; a close error changes nothing.
        }
        channel = null;
        DiskLayout.deleteQuietly(temp);
    }
}
