package org.opencache.common.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A configuration file that cannot be used: missing, unreadable, not INI, or holding a value that
 * is out of range. {@link #getMessage()} is one line that names the file, the key (when there is
 * one) and what is wrong, because the launcher prints exactly that line and exits with status 2:
 *
 * <pre>
 * controller.conf: key 'controller_port': 70000 is out of range 1-65535
 * controller.conf: no such file
 * node.conf: unknown section [foo] (OpenCache reads only [config])
 * </pre>
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;
    private final String problem;

    /**
     * @param source  the file as the operator named it, or another source name
     * @param key     the offending key, or {@code null} when the problem is with the whole source
     * @param problem what is wrong, in words an operator can act on
     */
    public ConfigException(String source, String key, String problem) {
        this(source, key, problem, null);
    }

    /**
     * @param source  the file as the operator named it, or another source name
     * @param key     the offending key, or {@code null} when the problem is with the whole source
     * @param problem what is wrong, in words an operator can act on
     * @param cause   the underlying failure, kept for debugging; never shown in the message
     */
    public ConfigException(String source, String key, String problem, Throwable cause) {
        super(format(source, key, problem), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.key = key;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The file or source name the problem is in. */
    public String source() {
        return source;
    }

    /** The offending key; empty when the problem is with the source as a whole. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** What is wrong, without the source and key. */
    public String problem() {
        return problem;
    }

    private static String format(String source, String key, String problem) {
        String where = key == null ? "" : "key '" + key + "': ";
        return source + ": " + where + problem;
    }
}
