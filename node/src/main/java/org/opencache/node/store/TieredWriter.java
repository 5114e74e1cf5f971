package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one body and hands it to the store on commit. A body up to the inline limit is kept
 * in memory and becomes one record of a shared segment; a larger one is streamed to a temp file
 * laid out as a large segment (room for the record's preamble and header, then the body), with a
 * heap copy while it is small enough for the memory tier. A file system out of space gets the
 * store to reclaim room, and the write is tried once more. Any failure turns the writer into a
 * no-op: the temp file is deleted, a disk error is logged once (a full file system is only
 * counted, {@link DiskFullLog}), {@link #commit()} returns false and {@link #refusal()} says why.
 *
 * <p>Used by one thread at a time, like the response it follows.
 */
final class TieredWriter implements StoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TieredWriter.class);
    private static final int FIRST_COPY_SIZE = 16 * 1024;

    private final TieredObjectStore store;
    private final SegmentLayout layout;
    private final StoreKey key;
    private final ObjectMeta meta;
    private final long sizeLimit;
    private final long inlineLimit;
    private final long memoryLimit;
    /** The purge sequence number when this writer began ({@link PurgeLog}). */
    private final long purgeSeq;
    /** The body so far while it is inline or small enough for memory; null once it is neither. */
    private byte[] copy;
    private SegmentLayout.TempFile temp;
    private byte[] header;
    private long bodyOffset;
    private long written;
    private boolean failed;
    private StoredObject unkept;
    private StoreRefusal refusal;

    /**
     * @param sizeLimit   the most bytes the body may have (0 = no limit)
     * @param inlineLimit the most bytes of body kept in memory to go inline into a shared segment
     * @param memoryLimit the most bytes of body copied for the memory tier
     */
    TieredWriter(TieredObjectStore store, SegmentLayout layout, StoreKey key, ObjectMeta meta, long sizeLimit,
            long inlineLimit, long memoryLimit, long purgeSeq) {
        this.store = store;
        this.purgeSeq = purgeSeq;
        this.layout = layout;
        this.key = key;
        this.meta = meta;
        this.sizeLimit = sizeLimit;
        this.inlineLimit = inlineLimit;
        this.memoryLimit = Math.max(memoryLimit, inlineLimit);
        long declared = meta.bodyLength();
        if (declared < 0) {
            copy = new byte[(int) Math.min(FIRST_COPY_SIZE, this.memoryLimit)];
        } else if (declared <= this.memoryLimit) {
            copy = new byte[(int) declared];
        }
        if (declared > inlineLimit) {
            spill();
        }
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (failed) {
            return;
        }
        int count = bytes.remaining();
        long total = written + count;
        long declared = meta.bodyLength();
        if (sizeLimit > 0 && total > sizeLimit || declared >= 0 && total > declared) {
            LOG.debug("Not storing {}: its body passed {} bytes", key, declared >= 0 ? declared : sizeLimit);
            refuse(declared >= 0 && total > declared ? StoreRefusal.STORE_ERROR : StoreRefusal.TOO_LARGE);
            return;
        }
        if (temp == null && total > inlineLimit && !spill()) {
            return;
        }
        keepCopy(bytes, total);
        if (temp != null && !writeToTemp(bytes, bodyOffset + written)) {
            return;
        }
        written = total;
    }

    /**
     * Writes {@code bytes} to the temp file at {@code offset}, making room once on a full file
     * system; false (the writer given up) if it failed.
     */
    private boolean writeToTemp(ByteBuffer bytes, long offset) {
        for (int attempt = 0;; attempt++) {
            try {
                // A duplicate has its own position: the caller's buffer is not touched.
                ByteBuffer view = bytes.duplicate();
                long at = offset;
                while (view.hasRemaining()) {
                    at += temp.channel().write(view, at);
                }
                return true;
            } catch (IOException e) {
                if (!DiskFullLog.isDiskFull(e)) {
                    fail(e);
                    return false;
                }
                StoreRefusal full = attempt == 0 ? store.makeRoomOnFullDisk(key, bytes.remaining(), e)
                        : store.refusedFull(e);
                if (full != null) {
                    refuse(full);
                    return false;
                }
            }
        }
    }

    @Override
    public boolean commit() {
        if (failed) {
            return false;
        }
        if (meta.bodyLength() >= 0 && written != meta.bodyLength()) {
            LOG.debug("Not storing {}: body has {} of {} bytes", key, written, meta.bodyLength());
            refuse(StoreRefusal.STORE_ERROR);
            return false;
        }
        failed = true; // a writer commits once
        byte[] bytes = copy == null || copy.length == written ? copy : Arrays.copyOf(copy, (int) written);
        copy = null;
        refusal = temp == null
                ? store.publishInline(key, meta, bytes, (int) written, purgeSeq)
                : store.publishLarge(key, meta, header, temp, bodyOffset, written, bytes, purgeSeq);
        if (refusal != null && bytes != null) {
            unkept = new UnkeptObject(meta.withBodyLength(written), bytes);
        }
        return refusal == null;
    }

    @Override
    public Optional<StoredObject> unkept() {
        return Optional.ofNullable(unkept);
    }

    @Override
    public Optional<StoreRefusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public void abort() {
        discard();
    }

    /** Moves the body to a temp file: it is too large to go inline. False (after one WARN) if that failed. */
    private boolean spill() {
        try {
            temp = layout.newTempFile();
        } catch (IOException e) {
            if (DiskFullLog.isDiskFull(e)) {
                refuse(store.refusedFull(e));
            } else {
                LOG.warn("Not storing {}: cannot write {}: {}", key, layout.tempDir(), e.toString());
                refuse(StoreRefusal.STORE_ERROR);
            }
            return false;
        }
        header = RecordFormat.header(key, meta);
        bodyOffset = RecordFormat.aligned(RecordFormat.PREAMBLE + header.length);
        // The head's room is written now, so that the commit's preamble overwrites space the
        // file already has instead of needing more of a file system that may be full by then.
        return writeToTemp(ByteBuffer.allocate((int) bodyOffset), 0)
                && (written == 0 || writeToTemp(ByteBuffer.wrap(copy, 0, (int) written), bodyOffset));
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
        if (DiskFullLog.isDiskFull(e)) {
            refuse(store.refusedFull(e));
            return;
        }
        LOG.warn("Not storing {}: cannot write {}: {}", key, temp.path(), e.toString());
        refuse(StoreRefusal.STORE_ERROR);
    }

    private void refuse(StoreRefusal why) {
        refusal = why;
        discard();
    }

    private void discard() {
        failed = true;
        copy = null;
        if (temp != null) {
            temp.discard();
            temp = null;
        }
    }
}
