package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary form of one record in a segment file ({@link SegmentLayout}): a fixed preamble, the
 * key and metadata (the <em>header</em>), and, for an object stored inline, its body right after.
 * Every record starts at a multiple of 8 bytes, so that a scan that meets a torn record can look
 * for the next one.
 *
 * <pre>
 * offset size  field
 *  0      4    magic "OCR1"
 *  4      4    CRC-32C of bytes 8..{@value #PREAMBLE} of the preamble and of the header
 *  8      1    type: 1 object, 2 tombstone
 *  9      1    flags: 1 = the body is inline and bodyCrc covers it
 * 10      2    reserved (0)
 * 12      4    header length
 * 16      8    stamp: the store-wide write order; of two records of one key the higher wins
 * 24     16    key digest (SHA-256 of instance and key, first 16 bytes)
 * 40      8    body offset in this file
 * 48      8    body length
 * 56      8    expires, epoch seconds (Long.MAX_VALUE: never)
 * 64      4    CRC-32C of the body when inline, else 0
 * 68      4    reserved (0)
 * 72           header: instance, key, status, request and response time, expires, fields
 * </pre>
 *
 * A tombstone has a digest and a stamp and no header or body: it says that the key's older
 * records are no longer wanted. Numbers are big-endian.
 */
final class RecordFormat {
    /** Bytes before the header. */
    static final int PREAMBLE = 72;
    /** Type of a record that stores a key's object. */
    static final byte OBJECT = 1;
    /** Type of a record that removes a key. */
    static final byte TOMBSTONE = 2;
    /** Flag: the body follows the header and {@code bodyCrc} covers it. */
    static final byte INLINE = 1;

    private static final int MAGIC = 0x4F435231;
    private static final int NULL_INSTANT = Integer.MIN_VALUE;

    private RecordFormat() {
    }

    /**
     * What a preamble says; the header, when read, is parsed separately ({@link #parseHeader}).
     *
     * @param type        {@link #OBJECT} or {@link #TOMBSTONE}
     * @param flags       {@link #INLINE} or 0
     * @param headerLength bytes of header after the preamble
     * @param stamp       the store-wide write order
     * @param digest      the key digest
     * @param bodyOffset  where the body is in the same file
     * @param bodyLength  the body's length
     * @param expires     epoch seconds after which the object is of no use
     * @param bodyCrc     CRC-32C of an inline body
     */
    record Preamble(byte type, byte flags, int headerLength, long stamp, StoreDigest digest, long bodyOffset,
            long bodyLength, long expires, int bodyCrc) {

        /** Whether the body follows the header in the same record. */
        boolean inline() {
            return (flags & INLINE) != 0;
        }

        /** Bytes of the whole record, padding to the next record excluded. */
        long length() {
            return PREAMBLE + headerLength + (inline() ? bodyLength : 0);
        }
    }

    /** A record's key and metadata, as its header holds them. */
    record Header(StoreKey key, ObjectMeta meta) {
    }

    /** {@code length} rounded up to the next record boundary. */
    static long aligned(long length) {
        return (length + 7) & ~7L;
    }

    /** The header bytes of {@code key} with {@code meta} (whose body length is not part of it). */
    static byte[] header(StoreKey key, ObjectMeta meta) {
        byte[] instance = key.instance().getBytes(StandardCharsets.UTF_8);
        byte[] keyBytes = key.key().getBytes(StandardCharsets.UTF_8);
        List<byte[]> fields = new ArrayList<>(meta.headers().size() * 2);
        int size = 4 + instance.length + 4 + keyBytes.length + 4 + 3 * 12 + 4;
        for (Map.Entry<String, String> field : meta.headers()) {
            byte[] name = field.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = field.getValue().getBytes(StandardCharsets.UTF_8);
            fields.add(name);
            fields.add(value);
            size += 8 + name.length + value.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        putBytes(out, instance);
        putBytes(out, keyBytes);
        out.putInt(meta.status());
        putInstant(out, meta.requestTime());
        putInstant(out, meta.responseTime());
        putInstant(out, meta.expires());
        out.putInt(meta.headers().size());
        for (byte[] bytes : fields) {
            putBytes(out, bytes);
        }
        return out.array();
    }

    /**
     * Writes a preamble and {@code header} at the start of {@code record} (an inline body, if
     * any, follows them); the CRC is computed over both.
     */
    static void writeHead(ByteBuffer record, Preamble preamble, byte[] header) {
        ByteBuffer out = record.duplicate().order(ByteOrder.BIG_ENDIAN);
        out.position(0);
        out.putInt(MAGIC).putInt(0).put(preamble.type()).put(preamble.flags()).putShort((short) 0)
                .putInt(preamble.headerLength()).putLong(preamble.stamp())
                .putLong(preamble.digest().hi()).putLong(preamble.digest().lo())
                .putLong(preamble.bodyOffset()).putLong(preamble.bodyLength()).putLong(preamble.expires())
                .putInt(preamble.bodyCrc()).putInt(0);
        out.put(PREAMBLE, header);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + 8, PREAMBLE - 8);
        crc.update(header);
        out.putInt(4, (int) crc.getValue());
    }

    /**
     * A record of a key whose body is elsewhere in the same file (a large segment's), preamble and
     * header written, at the start of a buffer of {@code capacity} bytes (the body may follow).
     */
    static ByteBuffer reference(byte[] header, long stamp, StoreDigest digest, long bodyOffset, long bodyLength,
            long expires, int capacity) {
        ByteBuffer record = ByteBuffer.allocate(capacity);
        writeHead(record, new Preamble(OBJECT, (byte) 0, header.length, stamp, digest, bodyOffset, bodyLength,
                expires, 0), header);
        return record;
    }

    /** A whole tombstone record for {@code digest}. */
    static ByteBuffer tombstone(StoreDigest digest, long stamp) {
        ByteBuffer record = ByteBuffer.allocate(PREAMBLE);
        writeHead(record, new Preamble(TOMBSTONE, (byte) 0, 0, stamp, digest, 0, 0, 0, 0), new byte[0]);
        return record;
    }

    /** CRC-32C of a body. */
    static int bodyCrc(byte[] body, int offset, int length) {
        return bodyCrc(ByteBuffer.wrap(body, offset, length));
    }

    /** CRC-32C of a body. */
    static int bodyCrc(ByteBuffer body) {
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }

    /**
     * Reads the preamble at the start of {@code in} (at least {@value #PREAMBLE} bytes left) and
     * checks its magic; null if there is no record there. The CRC is checked by
     * {@link #checkHeader} once the header is read.
     */
    static Preamble readPreamble(ByteBuffer in) {
        ByteBuffer at = in.slice().order(ByteOrder.BIG_ENDIAN);
        if (at.remaining() < PREAMBLE || at.getInt(0) != MAGIC) {
            return null;
        }
        byte type = at.get(8);
        int headerLength = at.getInt(12);
        long bodyLength = at.getLong(48);
        if (type != OBJECT && type != TOMBSTONE || headerLength < 0 || bodyLength < 0) {
            return null;
        }
        return new Preamble(type, at.get(9), headerLength, at.getLong(16),
                new StoreDigest(at.getLong(24), at.getLong(32)), at.getLong(40), bodyLength, at.getLong(56),
                at.getInt(64));
    }

    /**
     * Whether the CRC in the preamble at the start of {@code record} matches the preamble and
     * the {@code headerLength} header bytes after it.
     */
    static boolean checkHeader(ByteBuffer record, int headerLength) {
        ByteBuffer at = record.slice().order(ByteOrder.BIG_ENDIAN);
        if (at.remaining() < PREAMBLE + headerLength) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(at.slice(8, PREAMBLE - 8 + headerLength));
        return (int) crc.getValue() == at.getInt(4);
    }

    /** Parses a header; an {@link IOException} says what is wrong with it. */
    static Header parseHeader(ByteBuffer header, long bodyLength) throws IOException {
        try {
            ByteBuffer in = header.slice().order(ByteOrder.BIG_ENDIAN);
            String instance = getString(in);
            String key = getString(in);
            int status = in.getInt();
            Instant requestTime = getInstant(in);
            Instant responseTime = getInstant(in);
            Instant expires = getInstant(in);
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 8) {
                throw new IOException("bad field count " + count);
            }
            List<Map.Entry<String, String>> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(Map.entry(getString(in), getString(in)));
            }
            return new Header(new StoreKey(instance, key),
                    new ObjectMeta(status, fields, requestTime, responseTime, expires, bodyLength));
        } catch (RuntimeException e) {
            throw new IOException("unreadable record header: " + e, e);
        }
    }

    /** The key named by a header, without parsing the rest. */
    static StoreKey keyOf(ByteBuffer header) throws IOException {
        try {
            ByteBuffer in = header.slice().order(ByteOrder.BIG_ENDIAN);
            return new StoreKey(getString(in), getString(in));
        } catch (RuntimeException e) {
            throw new IOException("unreadable record header: " + e, e);
        }
    }

    /** The instance named by a header, without parsing the rest. */
    static String instanceOf(ByteBuffer header) throws IOException {
        try {
            return getString(header.slice().order(ByteOrder.BIG_ENDIAN));
        } catch (RuntimeException e) {
            throw new IOException("unreadable record header: " + e, e);
        }
    }

    /** Epoch seconds of {@code expires}, rounded up; {@link Long#MAX_VALUE} for none. */
    static long expirySeconds(Instant expires) {
        if (expires == null) {
            return Long.MAX_VALUE;
        }
        return expires.getNano() == 0 ? expires.getEpochSecond() : expires.getEpochSecond() + 1;
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    private static void putInstant(ByteBuffer out, Instant instant) {
        if (instant == null) {
            out.putLong(0).putInt(NULL_INSTANT);
        } else {
            out.putLong(instant.getEpochSecond()).putInt(instant.getNano());
        }
    }

    private static Instant getInstant(ByteBuffer in) {
        long seconds = in.getLong();
        int nanos = in.getInt();
        return nanos == NULL_INSTANT ? null : Instant.ofEpochSecond(seconds, nanos);
    }
}
