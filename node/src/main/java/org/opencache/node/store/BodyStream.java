package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A large body read from its segment file with positional reads, so that many readers can share
 * the one open file. Holds a reference to the file until closed.
 */
final class BodyStream extends InputStream {
    private final BodyFile file;
    private long position;
    private boolean closed;

    BodyStream(BodyFile file) {
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        long left = file.length() - position;
        if (left <= 0) {
            return length == 0 ? 0 : -1;
        }
        int wanted = (int) Math.min(length, left);
        int read = file.channel().read(ByteBuffer.wrap(into, offset, wanted), file.offset() + position);
        if (read < 0) {
            throw new IOException("the segment file ends " + left + " bytes before the body");
        }
        position += read;
        return read;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, file.length() - position);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.release();
        }
    }
}
