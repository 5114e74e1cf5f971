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
 * The body files kept open so that hits can send them with {@code sendfile(2)}: opening a file
 * per hit would cost more than the copy it saves. At most {@code open_body_files} are open, the
 * ones asked for most (Caffeine's W-TinyLFU by count); a body's file is closed when its body is
 * deleted, or later when the last send that uses it ends.
 */
final class OpenBodyFiles {
    private final Cache<String, BodyFile> files;

    /** @param maxOpen open files kept, {@code >= 1}; each is one file descriptor ({@code open_body_files}) */
    OpenBodyFiles(int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("at least one body file must be kept open: " + maxOpen);
        }
        files = Caffeine.newBuilder()
                .maximumSize(maxOpen)
                .executor(Runnable::run)
                .removalListener((String id, BodyFile file, RemovalCause cause) -> {
                    if (file != null) {
                        file.release();
                    }
                })
                .build();
    }

    /**
     * The body's open file with a reference taken for the caller, who releases it; empty when
     * the file cannot be opened (deleted meanwhile, say): the caller then sends the body another way.
     */
    Optional<BodyFile> acquire(Body body) {
        while (true) {
            BodyFile file;
            try {
                file = files.get(body.id(), id -> open(body));
            } catch (UncheckedIOException e) {
                return Optional.empty();
            }
            if (file.tryRetain()) {
                return Optional.of(file);
            }
            // Closed between the lookup and the retain: it is on its way out of the cache.
            files.asMap().remove(body.id(), file);
        }
    }

    /** Closes a deleted body's file once no send uses it any more. */
    void invalidate(Body body) {
        files.invalidate(body.id());
    }

    /** Closes every file once no send uses it any more. */
    void clear() {
        files.invalidateAll();
    }

    private static BodyFile open(Body body) {
        try {
            return new BodyFile(FileChannel.open(body.path(), StandardOpenOption.READ), body.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
