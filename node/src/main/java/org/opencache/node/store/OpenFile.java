package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment file open for reading, shared by the store and every read or send that uses it. The
 * store holds one reference while it keeps the file open; each user {@link #tryRetain retains}
 * one and {@link #release releases} it when done. The channel is closed when the last reference
 * goes, so a segment reclaimed mid-send is still read to the end (an unlinked file lives on while
 * it is open).
 */
final class OpenFile {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFile.class);

    private final FileChannel channel;
    private final AtomicInteger references = new AtomicInteger(1);

    OpenFile(FileChannel channel) {
        this.channel = channel;
    }

    /** The open file; read it with positional reads or {@code transferTo} only, never its position. */
    FileChannel channel() {
        return channel;
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
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Cannot close a segment file: {}", e.toString());
            }
        } else if (left < 0) {
            throw new IllegalStateException("segment file released more often than retained");
        }
    }
}
