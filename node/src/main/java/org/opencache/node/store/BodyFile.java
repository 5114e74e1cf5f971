package org.opencache.node.store;

import java.nio.channels.FileChannel;

/**
 * Where a stored body is in an open file, for sending it with {@code sendfile(2)}: the file, the
 * body's offset in it and its length. The caller holds a reference to the file and gives it back
 * with {@link #release()} when the client has the body; until then the file stays open even if
 * the object is evicted or replaced.
 */
public final class BodyFile {
    private final OpenFile file;
    private final long offset;
    private final long length;

    BodyFile(OpenFile file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    /** The open file; read it with positional reads or {@code transferTo} only, never its position. */
    public FileChannel channel() {
        return file.channel();
    }

    /** Where the body starts in the file. */
    public long offset() {
        return offset;
    }

    /** The body's length in bytes. */
    public long length() {
        return length;
    }

    /** Gives the reference back; the file closes when the store no longer keeps it either. */
    public void release() {
        file.release();
    }
}
