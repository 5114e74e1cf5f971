package org.opencache.common.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's access log ({@code access_log}, {@code access_log_format}; docs/design.md §6): one line
 * per request of every instance port.
 *
 * @param file   where the lines go; empty: no access log (the default)
 * @param format how a line is written
 */
public record AccessLogConfig(Optional<Path> file, Format format) {

    /** No access log, the default. */
    public static final AccessLogConfig NONE = new AccessLogConfig(Optional.empty(), Format.COMBINED);

    /** Checks that both parts are given. */
    public AccessLogConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
    }

    /** How one request is written. */
    public enum Format {
        /**
         * nginx's {@code combined} format, then the {@code Cache-Status}, the instance, the upstream
         * and the total time.
         */
        COMBINED,
        /** One JSON object per line with the same fields, named. */
        JSON
    }
}
