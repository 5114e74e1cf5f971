package org.opencache.node.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of stores refused because the file system is full: a full disk refuses every miss, so
 * one WARN per refusal (each naming its URL) would flood the log. The first refusal is a WARN;
 * the ones after it are counted and logged as one line per interval with their number.
 * Thread-safe.
 */
final class DiskFullLog {
    private static final Logger LOG = LoggerFactory.getLogger(DiskFullLog.class);
    /** The most one full disk writes to the log. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Path root;
    private final Clock clock;
    private Instant lastLine; // guarded by this
    private long unlogged; // guarded by this

    /**
     * @param root  the store's directory, named in the lines
     * @param clock when a line may be written again
     */
    DiskFullLog(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /**
     * Whether {@code e} says the file system is out of space or quota ({@code ENOSPC},
     * {@code EDQUOT}): the JDK reports both only through the message.
     */
    static boolean isDiskFull(IOException e) {
        String message = reason(e);
        return message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
    }

    /** What the file system said, without the file name a {@link FileSystemException} adds. */
    static String reason(IOException e) {
        return e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
    }

    /**
     * Counts one refused store; logs a WARN if none was logged within {@link #INTERVAL}.
     *
     * @param cause what the file system said, e.g. {@code No space left on device}
     */
    void refused(String cause) {
        Instant now = clock.instant();
        long before;
        synchronized (this) {
            unlogged++;
            if (lastLine != null && now.isBefore(lastLine.plus(INTERVAL))) {
                return;
            }
            before = unlogged - 1;
            unlogged = 0;
            lastLine = now;
        }
        if (before == 0) {
            LOG.warn("Not storing: the file system of {} is full even after reclaiming ({}); "
                    + "further refusals are counted, one line per {} s", root, cause,
                    INTERVAL.toSeconds());
        } else {
            LOG.warn("Not storing: the file system of {} is full even after reclaiming ({}); {} stores refused "
                    + "before this one since the last line", root, cause, before);
        }
    }
}
