package org.opencache.node.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the records of one segment file in order, for the scan at start and for reclaiming. A
 * record that is torn or damaged (bad magic, CRC or length: a crash while it was written, or the
 * disk) is skipped by looking for the next record at each following 8-byte boundary; how many
 * bytes were skipped is counted for the caller to report.
 *
 * <p>Reads through one buffer ({@value #BUFFER} bytes, larger only for a larger record), so a
 * shared segment is read in large sequential reads whatever its records' sizes.
 */
final class SegmentReader {
    /**
     * Bytes read at a time: large enough for sequential reads, small enough not to be a humongous
     * object for G1 (half a region: 512 KiB in a heap under 2 GiB), whose allocation would start a
     * collection each time.
     */
    static final int BUFFER = 128 * 1024;

    private final FileChannel channel;
    private final long end;
    private ByteBuffer buffer;
    /** File offset of the buffer's first byte. */
    private long bufferStart;
    private long position;
    private long skipped;

    /**
     * One record read.
     *
     * @param offset   where it starts in the file
     * @param preamble its preamble
     * @param bytes    the record from its first byte: preamble, header, and inline body; valid
     *                 until the next call of {@link #next()}
     */
    record Record(long offset, RecordFormat.Preamble preamble, ByteBuffer bytes) {

        /** The header bytes. */
        ByteBuffer header() {
            return bytes.slice(RecordFormat.PREAMBLE, preamble.headerLength());
        }
    }

    /** A reader of {@code channel} from offset 0 to {@code end}, with a buffer of its own. */
    SegmentReader(FileChannel channel, long end) {
        this(channel, end, ByteBuffer.allocate(BUFFER));
    }

    /**
     * A reader that reads through {@code buffer} (a heap buffer, replaced by a larger one only for
     * a record that does not fit): a reclaimer that reads one segment after another keeps one.
     */
    SegmentReader(FileChannel channel, long end, ByteBuffer buffer) {
        this.channel = channel;
        this.end = end;
        this.buffer = buffer;
        buffer.clear().limit(0);
    }

    /** Continues reading at {@code offset} (past a large segment's body). */
    void skipTo(long offset) {
        position = RecordFormat.aligned(offset);
    }

    /** Bytes skipped so far because no readable record was there. */
    long skipped() {
        return skipped;
    }

    /** The next readable record, or null at the end of the file. */
    Record next() throws IOException {
        while (position + RecordFormat.PREAMBLE <= end) {
            ByteBuffer at = window(position, RecordFormat.PREAMBLE);
            RecordFormat.Preamble preamble = at == null ? null : RecordFormat.readPreamble(at);
            if (preamble != null) {
                long length = preamble.length();
                ByteBuffer record = length <= end - position && length <= Integer.MAX_VALUE - 16
                        ? window(position, (int) length) : null;
                if (record != null && valid(record, preamble)) {
                    Record found = new Record(position, preamble, record.slice(0, (int) length));
                    position += RecordFormat.aligned(length);
                    return found;
                }
            }
            position += 8;
            skipped += 8;
        }
        return null;
    }

    private static boolean valid(ByteBuffer record, RecordFormat.Preamble preamble) {
        if (!RecordFormat.checkHeader(record, preamble.headerLength())) {
            return false;
        }
        if (!preamble.inline()) {
            return true;
        }
        ByteBuffer body = record.slice(RecordFormat.PREAMBLE + preamble.headerLength(), (int) preamble.bodyLength());
        return RecordFormat.bodyCrc(body) == preamble.bodyCrc();
    }

    /** {@code length} bytes of the file from {@code offset} as a view of the buffer, or null if the file ends first. */
    private ByteBuffer window(long offset, int length) throws IOException {
        long bufferEnd = bufferStart + buffer.limit();
        if (offset < bufferStart || offset + length > bufferEnd) {
            if (length > buffer.capacity()) {
                buffer = ByteBuffer.allocate(length);
            }
            buffer.clear();
            bufferStart = offset;
            long want = Math.min(buffer.capacity(), end - offset);
            buffer.limit((int) want);
            try {
                SegmentWriter.readFully(channel, buffer, bufferStart);
            } catch (EOFException e) {
                // The file is shorter than its segment says (truncated): what was read is all there is.
            }
            buffer.flip();
            if (buffer.limit() < length) {
                return null;
            }
        }
        return buffer.slice((int) (offset - bufferStart), length);
    }
}
