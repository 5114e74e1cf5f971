package org.opencache.common.config;

import java.net.BindException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A value that read well but turned out unusable when the process started: a port another
 * process listens on, a {@code data_path} another controller holds or that cannot be written.
 * Like a {@link ConfigException} the fix is in the configuration (or in what else runs on the
 * host), so the launcher exits with status 2 (docs/design.md §2) rather than 1; the message is
 * one line that names the key and its value:
 *
 * <pre>
 * controller_port = 49001: address in use
 * data_path = /var/lib/opencache: locked by another process (another controller using this data_path?)
 * </pre>
 */
public final class SettingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What {@link #bindReason(String)} makes of "Address already in use", on every listening key. */
    public static final String ADDRESS_IN_USE = "address in use";

    private final String key;
    private final String problem;

    /**
     * @param key     the key whose value could not be used
     * @param value   its value, as the process used it
     * @param problem what is wrong, in words an operator can act on
     * @param cause   the underlying failure, kept for debugging; never shown in the message
     */
    public SettingException(ConfigKey key, Object value, String problem, Throwable cause) {
        super(key.key() + " = " + value + ": " + problem, cause);
        this.key = key.key();
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The key whose value could not be used. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key and value. */
    public String problem() {
        return problem;
    }

    /**
     * The failure to listen on {@code key}'s port when {@code failure} is one (a
     * {@link BindException} in its causes, as Jetty wraps it), or empty for any other failure.
     *
     * @param address the host and port bound, shown unless the port was simply in use
     */
    public static Optional<SettingException> ofBind(ConfigKey key, int port, String address, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(listening(key, port, address, bind.getMessage(), failure));
            }
        }
        return Optional.empty();
    }

    /**
     * The failure to listen on {@code key}'s port for {@code reason} (a socket error's text).
     *
     * @param address the host and port bound, shown unless the port was simply in use
     */
    public static SettingException listening(ConfigKey key, int port, String address, String reason, Throwable cause) {
        String problem = bindReason(reason);
        return new SettingException(key, port,
                problem.equals(ADDRESS_IN_USE) ? problem : "cannot listen on " + address + ": " + problem, cause);
    }

    /** A socket error's text in lower case, "Address already in use" shortened to {@value #ADDRESS_IN_USE}. */
    static String bindReason(String reason) {
        String text = reason == null ? "cannot bind" : reason.strip();
        int detail = text.indexOf(" (");
        String lower = (detail > 0 ? text.substring(0, detail) : text).toLowerCase(Locale.ROOT);
        return lower.contains("already in use") ? ADDRESS_IN_USE : lower;
    }
}
