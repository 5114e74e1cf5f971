package org.opencache.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates controller and node configuration (DESIGN.md §3): INI files with one
 * {@code [config]} section, whose keys keep the names and meaning of the original OpenCache, so
 * its sample {@code controller.conf} and {@code node.conf} load unchanged.
 *
 * <p>A missing key takes its default. A present key must hold a valid value, or reading fails
 * with a {@link ConfigException} whose one-line message names the file, the key and the problem.
 * Keys the role does not read are logged, never fatal: the original's unused keys at INFO, the
 * other role's keys at DEBUG (one file may configure both), unknown keys at WARN.
 *
 * <p>The file variants read the file and delegate to the map variants, which tests and the
 * launcher may also call directly.
 */
public final class ConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);
    private static final Notes LOG_NOTES = (level, message) -> LOG.atLevel(level).log(message);

    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final int DEFAULT_NOTIFICATION_PORT = 50001;
    private static final int DEFAULT_DATABASE_PORT = 27017;
    private static final int DEFAULT_VERBOSITY = 3;

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
        Values v = Values.of(raw, sourceName);
        ConfigKeys.report(v, Role.CONTROLLER, notes);
        return new ControllerConfig(
                v.host("controller_host", DEFAULT_HOST),
                v.port("controller_port", 49001),
                v.port("notification_port", DEFAULT_NOTIFICATION_PORT),
                databaseUri(v),
                v.databaseName("database_name", "opencache"),
                v.path("data_path", "/var/lib/opencache"),
                v.duration("node_timeout", Duration.ofSeconds(30), false),
                v.duration("command_timeout", Duration.ofSeconds(5), false),
                v.duration("stat_retention", Duration.ofHours(24), false),
                logging(v));
    }

    static NodeConfig node(Map<String, String> raw, String sourceName, Notes notes) throws ConfigException {
        Values v = Values.of(raw, sourceName);
        ConfigKeys.report(v, Role.NODE, notes);
        PortRange portRange = v.portRange("port_range", new PortRange(49003, 50000));
        return new NodeConfig(
                v.host("node_host", DEFAULT_HOST),
                nodePort(v, portRange),
                portRange,
                v.host("controller_host", DEFAULT_HOST),
                v.port("notification_port", DEFAULT_NOTIFICATION_PORT),
                v.path("cache_path", "/var/tmp/opencache/"),
                v.duration("keep_alive_interval", Duration.ofSeconds(5), false),
                v.duration("stat_refresh", Duration.ofSeconds(60), false),
                v.whole("alert_load", 500, 1, Integer.MAX_VALUE),
                v.size("alert_disk", 9L << 30),
                v.size("max_disk", 10L << 30),
                v.size("max_cache_size", 1L << 30),
                v.size("max_item_size", 10L << 20),
                v.duration("cache_purge_time", Duration.ofSeconds(60), false),
                v.openflowAddress("openflow_switch"),
                v.duration("redirect_lease", Duration.ofSeconds(10), false),
                v.duration("horizon", Duration.ZERO, true),
                logging(v));
    }

    /** The status port must not be one an instance may be given. */
    private static int nodePort(Values v, PortRange portRange) throws ConfigException {
        int port = v.port("node_port", 49002);
        if (portRange.contains(port)) {
            String which = v.has("node_port") ? "" : " (the default)";
            throw v.error("node_port", port + which + " is inside port_range "
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
        int port = v.port("database_port", DEFAULT_DATABASE_PORT);
        Optional<String> uri = v.optional("database_uri");
        if (uri.isPresent()) {
            String value = uri.get();
            boolean scheme = value.startsWith("mongodb://") || value.startsWith("mongodb+srv://");
            if (!scheme || value.endsWith("//") || value.chars().anyMatch(Character::isWhitespace)) {
                throw v.error("database_uri", "'" + value + "' is not a MongoDB connection string"
                        + " (use mongodb://HOST:PORT or mongodb+srv://HOST)");
            }
            return uri;
        }
        if (v.optional("database_host").isEmpty()) {
            return Optional.empty();
        }
        String host = v.host("database_host", null);
        // An IPv6 literal needs brackets in a connection string.
        boolean ipv6 = host.contains(":") && !host.startsWith("[");
        return Optional.of("mongodb://" + (ipv6 ? "[" + host + "]" : host) + ":" + port);
    }

    private static LoggingConfig logging(Values v) throws ConfigException {
        return new LoggingConfig(v.optionalPath("log_path"), v.whole("verbosity", DEFAULT_VERBOSITY, 1, 4));
    }
}
