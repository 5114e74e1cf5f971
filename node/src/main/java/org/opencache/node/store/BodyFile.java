package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored body's file, open for reading, shared by the store and every send that uses it. The
 * store holds one reference while it keeps the file open; each send {@link #tryRetain retains}
 * one and {@link #release releases} it when the client has the body. The channel is closed when
 * the last reference goes, so a body evicted or deleted mid-send is still read to the end
 * (an unlinked file lives on while it is open).
 */
public final class BodyFile {
    private static final Logger LOG = LoggerFactory.getLogger(BodyFile.class);

    private final FileChannel channel;
    private final long length;
    private final AtomicInteger references = new AtomicInteger(1);

    BodyFile(FileChannel channel, long length) {
        this.channel = channel;
        this.length = length;
    }

    /** The open file; read it with positional reads or {@code transferTo} only, never its position. */
    public FileChannel channel() {
        return channel;
    }

    /** The body's length in bytes: the whole file. */
    public long length() {
        return length;
    }

    /** Takes a reference unless the last one is gone already (the file is then closed). */
    boolean tryRetain() {
        int count;
        do {
            count = references.get();
            if (count == 0) {
                return false;
            }
        } while (!references.compareAndSet(count, count + 1));
        return true;
    }

    /** Gives a reference back; the last one closes the file. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Cannot close a body file: {}", e.toString());
            }
        } else if (left < 0) {
            throw new IllegalStateException("body file released more often than retained");
        }
    }
}
