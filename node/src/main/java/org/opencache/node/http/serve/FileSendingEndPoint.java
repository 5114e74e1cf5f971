package org.opencache.node.http.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.opencache.node.store.BodyFile;

/**
 * A client connection that can send a stored body straight from its file with
 * {@code sendfile(2)} ({@code FileChannel.transferTo}), as nginx does: the bytes go from the page
 * cache to the socket without being copied into the JVM's native buffer and again into the
 * kernel. Jetty 12 has no such path of its own.
 *
 * <p>The body is still written through Jetty, as the very buffer that holds it in memory, so
 * Jetty frames and counts it as usual; this endpoint only recognises that buffer when it is
 * flushed and sends its bytes from the file instead. Had anything rewritten the buffer on the
 * way, the endpoint would not recognise it and would send it from memory: the same bytes.
 */
final class FileSendingEndPoint extends SocketChannelEndPoint {
    /**
     * Shorter bodies are copied. Sending from a file adds system calls per response (a
     * {@code writev} for the head apart from the body, an {@code fstat}, the JDK's failing
     * {@code copy_file_range} try), which a small body's copy does not repay; the default 32 KiB
     * ({@code sendfile_min_size}) is a judgement, measured only at 1 KiB (copied) and 100 KiB
     * (sent from the file).
     */
    private final long minLength;

    private final AtomicReference<FileRegion> pending = new AtomicReference<>();

    /** @param minLength bodies of at least this many bytes are sent from their files ({@code sendfile_min_size}) */
    FileSendingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
            long minLength) {
        super(channel, selector, key, scheduler);
        this.minLength = minLength;
    }

    /** Whether a body of {@code length} bytes is large enough to be sent from its file. */
    boolean worthSendingFromFile(int length) {
        return length >= minLength;
    }

    /**
     * Has the next flush of {@code body} send it from {@code file}, whose body bytes from
     * {@code fileOffset} on are the same. The returned callback, called when the write of
     * {@code body} ends either way, forgets the file and releases it.
     */
    Callback sendFromFile(ByteBuffer body, BodyFile file, long fileOffset) {
        FileRegion region = new FileRegion(body, file, file.offset() + fileOffset - body.position());
        pending.set(region);
        return region;
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        FileRegion region = pending.get();
        int at = region == null ? -1 : indexOf(buffers, region.body);
        if (at < 0) {
            return super.flush(buffers);
        }
        if (at > 0 && !super.flush(Arrays.copyOf(buffers, at))) {
            return false;
        }
        if (!transfer(region)) {
            return false;
        }
        return at + 1 == buffers.length || super.flush(Arrays.copyOfRange(buffers, at + 1, buffers.length));
    }

    /** Sends what is left of the region's body; false when the socket takes no more now. */
    private boolean transfer(FileRegion region) throws IOException {
        ByteBuffer body = region.body;
        while (body.hasRemaining()) {
            long offset = region.fileBase + body.position();
            long sent = region.file.channel().transferTo(offset, body.remaining(), getChannel());
            if (sent <= 0) {
                if (offset + body.remaining() > region.file.channel().size()) {
                    // Nothing would ever come: fail the write rather than wait for the idle timeout.
                    throw new IOException("body file is shorter than its stored length " + region.file.length());
                }
                return false;
            }
            // Jetty sees the buffer drained as if it had been written from memory.
            body.position(body.position() + (int) sent);
            notIdle();
        }
        return true;
    }

    private static int indexOf(ByteBuffer[] buffers, ByteBuffer body) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == body) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Bytes to send from a file: the buffer Jetty flushes, the file, and {@code fileBase}, where
     * in the file the buffer's position 0 would be (the byte at position p is at fileBase + p).
     */
    private final class FileRegion implements Callback {
        private final ByteBuffer body;
        private final BodyFile file;
        private final long fileBase;

        FileRegion(ByteBuffer body, BodyFile file, long fileBase) {
            this.body = body;
            this.file = file;
            this.fileBase = fileBase;
        }

        @Override
        public void succeeded() {
            end();
        }

        @Override
        public void failed(Throwable failure) {
            end();
        }

        // The next response's region may be pending already; only this one is forgotten.
        private void end() {
            pending.compareAndSet(this, null);
            file.release();
        }
    }
}
