package org.opencache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The segment files kept open for reads and for {@code sendfile(2)}: opening a file per hit would
 * cost more than the read. At most {@code open_body_files} are open, the ones used most
 * (Caffeine's W-TinyLFU by count); a segment's file is closed when the segment is reclaimed, or
 * later when the last read or send that uses it ends.
 */
final class OpenSegmentFiles {
    private final Cache<Segment, OpenFile> files;

    /** @param maxOpen open files kept, {@code >= 1}; each is one file descriptor ({@code open_body_files}) */
    OpenSegmentFiles(int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("at least one segment file must be kept open: " + maxOpen);
        }
        files = Caffeine.newBuilder()
                .maximumSize(maxOpen)
                .executor(Runnable::run)
                .removalListener((Segment segment, OpenFile file, RemovalCause cause) -> {
                    if (file != null) {
                        file.release();
                    }
                })
                .build();
    }

    /**
     * The segment's open file with a reference taken for the caller, who releases it; empty when
     * the file cannot be opened (reclaimed meanwhile, say).
     */
    Optional<OpenFile> acquire(Segment segment) {
        while (true) {
            OpenFile file;
            try {
                file = files.get(segment, OpenSegmentFiles::open);
            } catch (UncheckedIOException e) {
                return Optional.empty();
            }
            if (file.tryRetain()) {
                return Optional.of(file);
            }
            // Closed between the lookup and the retain: it is on its way out of the cache.
            files.asMap().remove(segment, file);
        }
    }

    /** Closes a reclaimed segment's file once no read or send uses it any more. */
    void invalidate(Segment segment) {
        files.invalidate(segment);
    }

    /** Closes every file once no read or send uses it any more. */
    void clear() {
        files.invalidateAll();
    }

    private static OpenFile open(Segment segment) {
        try {
            return new OpenFile(FileChannel.open(segment.path(), StandardOpenOption.READ));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
