package org.opencache.node.http.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IO;
import org.opencache.node.http.rules.ByteRanges;
import org.opencache.node.store.StoredObject;

/**
 * The body and fields of a 206 served from a stored response (RFC 9110 §14.3, §15.3.7): one
 * range as it is with a {@code Content-Range}, several as {@code multipart/byteranges} (§14.6)
 * with a boundary chosen per response. Each range is read from its own stream of the stored
 * body, so ranges in any order cost no buffering.
 */
final class PartialContent {
    private static final String CRLF = "\r\n";

    private final ByteRanges ranges;
    private final String contentType;
    private final String boundary = "opencache-" + UUID.randomUUID();

    /**
     * @param ranges      the satisfiable ranges (at least one)
     * @param contentType the stored response's {@code Content-Type}, or null
     */
    PartialContent(ByteRanges ranges, String contentType) {
        if (ranges.unsatisfiable()) {
            throw new IllegalArgumentException("no satisfiable range");
        }
        this.ranges = ranges;
        this.contentType = contentType;
    }

    /** Sets the 206's {@code Content-Type}, {@code Content-Range} and {@code Content-Length}. */
    void describe(HttpFields.Mutable fields) {
        List<ByteRanges.Range> parts = ranges.ranges();
        if (parts.size() == 1) {
            fields.put(HttpHeader.CONTENT_RANGE, parts.getFirst().contentRange(ranges.length()));
            fields.put(HttpHeader.CONTENT_LENGTH, parts.getFirst().size());
            return;
        }
        fields.remove(HttpHeader.CONTENT_RANGE);
        fields.put(HttpHeader.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
        long length = closing().length;
        for (ByteRanges.Range range : parts) {
            length += partHead(range).length + range.size() + CRLF.length();
        }
        fields.put(HttpHeader.CONTENT_LENGTH, length);
    }

    /** Opens the 206's body; the caller closes it. */
    InputStream open(StoredObject object) throws IOException {
        List<ByteRanges.Range> parts = ranges.ranges();
        if (parts.size() == 1) {
            return slice(object, parts.getFirst());
        }
        List<InputStream> streams = new ArrayList<>();
        try {
            for (ByteRanges.Range range : parts) {
                streams.add(new ByteArrayInputStream(partHead(range)));
                streams.add(slice(object, range));
                streams.add(new ByteArrayInputStream(CRLF.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException | RuntimeException e) {
            streams.forEach(IO::close);
            throw e;
        }
        streams.add(new ByteArrayInputStream(closing()));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private byte[] partHead(ByteRanges.Range range) {
        String head = "--" + boundary + CRLF
                + (contentType == null ? "" : "Content-Type: " + contentType + CRLF)
                + "Content-Range: " + range.contentRange(ranges.length()) + CRLF + CRLF;
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] closing() {
        return ("--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII);
    }

    private static InputStream slice(StoredObject object, ByteRanges.Range range) throws IOException {
        InputStream body = object.openBody();
        try {
            body.skipNBytes(range.first());
        } catch (IOException | RuntimeException e) {
            IO.close(body);
            throw e;
        }
        return new BoundedStream(body, range.size());
    }

    /** The first {@code remaining} bytes of a stream. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * A sink that passes on only the bytes of {@code range} from a body written to it from the
     * start; the body's other bytes are consumed (the store still has its own copy).
     */
    static Content.Sink slice(Content.Sink client, ByteRanges.Range range) {
        long[] offset = {0};
        return (last, buffer, callback) -> {
            long start = offset[0];
            offset[0] += buffer.remaining();
            long from = Math.max(start, range.first());
            long to = Math.min(offset[0] - 1, range.last());
            ByteBuffer part = BufferUtil.EMPTY_BUFFER;
            if (from <= to) {
                part = buffer.slice(buffer.position() + (int) (from - start), (int) (to - from + 1));
            }
            buffer.position(buffer.limit());
            if (part.hasRemaining() || last) {
                client.write(last, part, callback);
            } else {
                callback.succeeded();
            }
        };
    }

    /** A sink that sends nothing of the body written to it, and ends the client's response with it. */
    static Content.Sink bodiless(Content.Sink client) {
        return (last, buffer, callback) -> {
            buffer.position(buffer.limit());
            if (last) {
                client.write(true, BufferUtil.EMPTY_BUFFER, callback);
            } else {
                callback.succeeded();
            }
        };
    }
}
