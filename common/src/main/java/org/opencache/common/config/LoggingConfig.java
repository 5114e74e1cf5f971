package org.opencache.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how much a process logs ({@code log_path}, {@code verbosity}).
 *
 * <p>{@code log_path} names a file, or a directory: a value ending in {@code /} (kept here as
 * {@code directory}, since {@link Path} drops a trailing separator), or a path that exists as a
 * directory. A directory gets one file per role ({@link #file(String)}), so a controller and a
 * node on one host that share a {@code log_path} do not write into one file.
 *
 * @param logPath   the log file or directory; empty: standard output only
 * @param directory whether the value ended with {@code /}, so names a directory even when it does not exist yet
 * @param verbosity 1 error, 2 warn, 3 info, 4 debug
 */
public record LoggingConfig(Optional<Path> logPath, boolean directory, int verbosity) {

    /** A {@code log_path} written without a trailing {@code /}. */
    public LoggingConfig(Optional<Path> logPath, int verbosity) {
        this(logPath, false, verbosity);
    }

    /**
     * The file to log to.
     *
     * @param fileName the file's name inside a {@code log_path} directory (the role's)
     * @return empty without {@code log_path}
     */
    public Optional<Path> file(String fileName) {
        return logPath.map(path -> directory || Files.isDirectory(path) ? path.resolve(fileName) : path);
    }
}
