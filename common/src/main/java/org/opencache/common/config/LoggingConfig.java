package org.opencache.common.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how much a process logs ({@code log_path}, {@code verbosity}).
 *
 * @param logPath   a log file, or a directory (ends with '/' or exists as one) that gets
 *                  {@code opencache.log}; empty: standard output only
 * @param verbosity 1 error, 2 warn, 3 info, 4 debug
 */
public record LoggingConfig(Optional<Path> logPath, int verbosity) {
}
