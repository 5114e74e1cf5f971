package org.opencache.common.config;

import static org.opencache.common.config.ConfigKey.ALERT_DISK;
import static org.opencache.common.config.ConfigKey.ALERT_LOAD;
import static org.opencache.common.config.ConfigKey.CACHE_PATH;
import static org.opencache.common.config.ConfigKey.CACHE_PURGE_TIME;
import static org.opencache.common.config.ConfigKey.COMMAND_TIMEOUT;
import static org.opencache.common.config.ConfigKey.CONTROLLER_HOST;
import static org.opencache.common.config.ConfigKey.CONTROLLER_PORT;
import static org.opencache.common.config.ConfigKey.DATABASE_HOST;
import static org.opencache.common.config.ConfigKey.DATABASE_NAME;
import static org.opencache.common.config.ConfigKey.DATABASE_PORT;
import static org.opencache.common.config.ConfigKey.DATABASE_URI;
import static org.opencache.common.config.ConfigKey.DATA_PATH;
import static org.opencache.common.config.ConfigKey.HORIZON;
import static org.opencache.common.config.ConfigKey.KEEP_ALIVE_INTERVAL;
import static org.opencache.common.config.ConfigKey.LOG_PATH;
import static org.opencache.common.config.ConfigKey.MAX_CACHE_SIZE;
import static org.opencache.common.config.ConfigKey.MAX_DISK;
import static org.opencache.common.config.ConfigKey.MAX_ITEM_SIZE;
import static org.opencache.common.config.ConfigKey.NODE_HOST;
import static org.opencache.common.config.ConfigKey.NODE_PORT;
import static org.opencache.common.config.ConfigKey.NODE_TIMEOUT;
import static org.opencache.common.config.ConfigKey.NOTIFICATION_PORT;
import static org.opencache.common.config.ConfigKey.OPENFLOW_SWITCH;
import static org.opencache.common.config.ConfigKey.OPEN_BODY_FILES;
import static org.opencache.common.config.ConfigKey.ORIGIN_CONNECT_TIMEOUT;
import static org.opencache.common.config.ConfigKey.ORIGIN_DENY;
import static org.opencache.common.config.ConfigKey.ORIGIN_READ_TIMEOUT;
import static org.opencache.common.config.ConfigKey.PORT_RANGE;
import static org.opencache.common.config.ConfigKey.REDIRECT_LEASE;
import static org.opencache.common.config.ConfigKey.SENDFILE_MIN_SIZE;
import static org.opencache.common.config.ConfigKey.STAT_REFRESH;
import static org.opencache.common.config.ConfigKey.STAT_RETENTION;
import static org.opencache.common.config.ConfigKey.VERBOSITY;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates controller and node configuration (docs/design.md §3): INI files with one
 * {@code [config]} section, whose keys keep the names and meaning of the original OpenCache, so
 * its sample {@code controller.conf} and {@code node.conf} load unchanged.
 *
 * <p>Every value is read through {@link ConfigKey}, the table of keys, their types and defaults.
 * A missing key takes its default. A present key must hold a valid value, or reading fails with
 * a {@link ConfigException} whose one-line message names the file, the key and the problem.
 * Keys the role does not read are logged, never fatal: the original's unused keys at INFO, the
 * other role's keys at DEBUG (one file may configure both), unknown keys at WARN.
 *
 * <p>The file variants read the file and delegate to the map variants, which tests and the
 * launcher may also call directly.
 */
public final class ConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
    private static final Notes LOG_NOTES = (level, message) -> LOG.atLevel(level).log(message);

    private ConfigReader() {
    }

    /**
     * Reads a controller's configuration file.
     *
     * @throws ConfigException when the file cannot be read, is not a valid INI file with a
     *                         {@code [config]} section, or holds an invalid value
     */
    public static ControllerConfig controller(Path file) throws ConfigException {
        return controller(IniFile.read(file), file.toString());
    }

    /**
     * Builds a controller's configuration from {@code key -> value} pairs.
     *
     * @param values     keys as in the {@code [config]} section; values may carry quotes and whitespace
     * @param sourceName names the source in messages, e.g. the file name
     * @throws ConfigException when a value is invalid
     */
    public static ControllerConfig controller(Map<String, String> values, String sourceName) throws ConfigException {
        return controller(values, sourceName, LOG_NOTES);
    }

    /**
     * Reads a node's configuration file.
     *
     * @throws ConfigException when the file cannot be read, is not a valid INI file with a
     *                         {@code [config]} section, or holds an invalid value
     */
    public static NodeConfig node(Path file) throws ConfigException {
        return node(IniFile.read(file), file.toString());
    }

    /**
     * Builds a node's configuration from {@code key -> value} pairs.
     *
     * @param values     keys as in the {@code [config]} section; values may carry quotes and whitespace
     * @param sourceName names the source in messages, e.g. the file name
     * @throws ConfigException when a value is invalid, or {@code node_port} lies in {@code port_range}
     */
    public static NodeConfig node(Map<String, String> values, String sourceName) throws ConfigException {
        return node(values, sourceName, LOG_NOTES);
    }

    static ControllerConfig controller(Map<String, String> raw, String sourceName, Notes notes) throws ConfigException {
        Values v = Values.of(raw, sourceName, Role.CONTROLLER);
        ConfigKeys.report(v, Role.CONTROLLER, notes);
        return new ControllerConfig(
                v.host(CONTROLLER_HOST),
                v.port(CONTROLLER_PORT),
                v.port(NOTIFICATION_PORT),
                databaseUri(v),
                v.databaseName(DATABASE_NAME),
                v.path(DATA_PATH),
                v.duration(NODE_TIMEOUT),
                v.duration(COMMAND_TIMEOUT),
                v.duration(STAT_RETENTION),
                logging(v));
    }

    static NodeConfig node(Map<String, String> raw, String sourceName, Notes notes) throws ConfigException {
        Values v = Values.of(raw, sourceName, Role.NODE);
        ConfigKeys.report(v, Role.NODE, notes);
        PortRange portRange = v.portRange(PORT_RANGE);
        return new NodeConfig(
                v.host(NODE_HOST),
                nodePort(v, portRange),
                portRange,
                v.host(CONTROLLER_HOST),
                v.port(NOTIFICATION_PORT),
                v.path(CACHE_PATH),
                v.duration(KEEP_ALIVE_INTERVAL),
                v.duration(STAT_REFRESH),
                v.whole(ALERT_LOAD),
                v.size(ALERT_DISK),
                v.size(MAX_DISK),
                v.size(MAX_CACHE_SIZE),
                v.size(MAX_ITEM_SIZE),
                v.duration(CACHE_PURGE_TIME),
                v.openflowAddress(OPENFLOW_SWITCH),
                v.duration(REDIRECT_LEASE),
                v.duration(HORIZON),
                v.duration(ORIGIN_CONNECT_TIMEOUT),
                v.duration(ORIGIN_READ_TIMEOUT),
                v.size(SENDFILE_MIN_SIZE),
                v.whole(OPEN_BODY_FILES),
                v.addressRanges(ORIGIN_DENY),
                logging(v));
    }

    /** The status port must not be one an instance may be given. */
    private static int nodePort(Values v, PortRange portRange) throws ConfigException {
        int port = v.port(NODE_PORT);
        if (portRange.contains(port)) {
            String which = v.has(NODE_PORT) ? "" : " (the default)";
            throw v.error(NODE_PORT, port + which + " is inside port_range "
                    + portRange.first() + "-" + portRange.last() + "; instances use those ports");
        }
        return port;
    }

    /**
     * {@code database_uri} wins; else the original's {@code database_host}/{@code database_port};
     * else empty, which starts the embedded database.
     */
    private static Optional<String> databaseUri(Values v) throws ConfigException {
        // Checked even when database_uri wins, so a wrong port never goes unnoticed.
        int port = v.port(DATABASE_PORT);
        Optional<String> uri = v.databaseUri(DATABASE_URI);
        if (uri.isPresent()) {
            return uri;
        }
        Optional<String> host = v.optionalHost(DATABASE_HOST);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        // An IPv6 literal needs brackets in a connection string.
        boolean ipv6 = host.get().contains(":") && !host.get().startsWith("[");
        return Optional.of("mongodb://" + (ipv6 ? "[" + host.get() + "]" : host.get()) + ":" + port);
    }

    private static LoggingConfig logging(Values v) throws ConfigException {
        return new LoggingConfig(v.optionalPath(LOG_PATH), v.whole(VERBOSITY));
    }
}
