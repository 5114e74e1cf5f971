package org.opencache.node.accesslog;

import org.opencache.common.config.AccessLogConfig;

/** How an entry becomes one line of the access log; used by the writer's one thread only. */
interface LineFormat {

    /** Appends the line, without its line end, to {@code out}. */
    void append(AccessLogEntry entry, StringBuilder out);

    /** {@return the line, without its line end} */
    default String line(AccessLogEntry entry) {
        StringBuilder out = new StringBuilder(256);
        append(entry, out);
        return out.toString();
    }

    /** The format {@code access_log_format} names; a new instance, since formats keep per-thread caches. */
    static LineFormat of(AccessLogConfig.Format format) {
        return switch (format) {
            case COMBINED -> new CombinedLine();
            case JSON -> new JsonLine();
        };
    }
}
