package org.opencache.common.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration key OpenCache knows (docs/design.md §3): its name, the roles that read it, the
 * type of its value, its default as an operator would write it, and what it is for.
 *
 * <p>This table is the one place where keys, defaults and descriptions are written down:
 * {@link ConfigReader} reads every value through it and takes a missing key's default from it,
 * the log lines about unused, legacy and mistyped keys know the keys from it,
 * {@code examples/config/standalone.conf} is checked against it, and the key table of
 * {@code docs/design.md} is {@link #markdownTable()}.
 *
 * <p>The keys of the original OpenCache that no part of this version reads ({@code openflow_host},
 * {@code openflow_port}, {@code switch_dpid}, {@code vlan_id}) are here too, with no role, so a
 * file that sets them gets an INFO line rather than a warning about an unknown key.
 */
public enum ConfigKey {

    // ---- Read by both roles ----

    /** {@code controller_host}. */
    CONTROLLER_HOST("controller_host", Readers.BOTH, Type.HOST, "127.0.0.1",
            "Address of the controller's JSON-RPC endpoint; nodes also reach the controller here."),
    /** {@code notification_port}. */
    NOTIFICATION_PORT("notification_port", Readers.BOTH, Type.PORT, "50001",
            "Port of the controller's ZeroMQ endpoint that nodes connect to."),
    /** {@code verbosity}. */
    VERBOSITY("verbosity", Readers.BOTH, 1, 4, "3",
            "Log level: 1 error, 2 warn, 3 info, 4 debug."),
    /** {@code log_path}. */
    LOG_PATH("log_path", Readers.BOTH, Type.OPTIONAL_PATH, "",
            "Log file, or directory (ends in / or exists; created when missing) that gets controller.log, "
                    + "node.log, or opencache.log for both roles in one process; none means standard output only."),
    /** {@code link_secret_key}: the CURVE secret of the node link (docs/design.md §5). */
    LINK_SECRET_KEY("link_secret_key", Readers.BOTH, Type.OPTIONAL_PATH, "",
            "This side's node-link secret key file (link.key from opencache keygen); none means no CURVE."),
    /** {@code insecure}: lifts the safe defaults of docs/design.md §3. */
    INSECURE("insecure", Readers.BOTH, Type.BOOLEAN, "false",
            "Listen beyond loopback without TLS and tokens (API, status) or CURVE (node link); warned about at every start."),

    // ---- Controller ----

    /** {@code controller_port}. */
    CONTROLLER_PORT("controller_port", Readers.CONTROLLER, Type.PORT, "49001",
            "Port of the JSON-RPC HTTP endpoint."),
    /** {@code database_uri}. */
    DATABASE_URI("database_uri", Readers.CONTROLLER, Type.DATABASE_URI, "",
            "MongoDB connection string; with neither it nor database_host, an embedded database starts."),
    /** {@code database_host}. */
    DATABASE_HOST("database_host", Readers.CONTROLLER, Type.OPTIONAL_HOST, "",
            "MongoDB host, as the original OpenCache named it; used when database_uri is unset."),
    /** {@code database_port}. */
    DATABASE_PORT("database_port", Readers.CONTROLLER, Type.PORT, "27017",
            "MongoDB port, as the original OpenCache named it; used with database_host."),
    /** {@code database_name}. */
    DATABASE_NAME("database_name", Readers.CONTROLLER, Type.DATABASE_NAME, "opencache",
            "Name of the database that holds the controller's state."),
    /** {@code data_path}. */
    DATA_PATH("data_path", Readers.CONTROLLER, Type.PATH, "/var/lib/opencache",
            "Where the embedded database keeps its files."),
    /** {@code node_timeout}. */
    NODE_TIMEOUT("node_timeout", Readers.CONTROLLER, Type.DURATION, "30s",
            "A node that sends no keep-alive for this long is marked down."),
    /** {@code command_timeout}. */
    COMMAND_TIMEOUT("command_timeout", Readers.CONTROLLER, Type.DURATION, "5s",
            "How long the controller waits for a node to acknowledge a command."),
    /** {@code stat_retention}. */
    STAT_RETENTION("stat_retention", Readers.CONTROLLER, Type.DURATION, "24h",
            "How long statistics and their history are kept."),
    /** {@code link_authorized_keys}: the node keys a CURVE-secured controller accepts. */
    LINK_AUTHORIZED_KEYS("link_authorized_keys", Readers.CONTROLLER, Type.OPTIONAL_PATH, "",
            "File of node public keys (one per line) or directory of *.pub files; required with link_secret_key."),
    /** {@code api_tls_cert}. */
    API_TLS_CERT("api_tls_cert", Readers.CONTROLLER, Type.OPTIONAL_PATH, "",
            "PEM certificate chain of the JSON-RPC endpoint; with api_tls_key it serves HTTPS on controller_port."),
    /** {@code api_tls_key}. */
    API_TLS_KEY("api_tls_key", Readers.CONTROLLER, Type.OPTIONAL_PATH, "",
            "PEM private key (PKCS#8, unencrypted) of api_tls_cert."),
    /** {@code api_tls_client_ca}. */
    API_TLS_CLIENT_CA("api_tls_client_ca", Readers.CONTROLLER, Type.OPTIONAL_PATH, "",
            "PEM certificates of the CAs that sign client certificates; set, clients must present one (mutual TLS)."),
    /** {@code api_tokens_file}: read by a node too when {@code status_tokens} is on. */
    API_TOKENS_FILE("api_tokens_file", Readers.BOTH, Type.OPTIONAL_PATH, "",
            "Tokens, one per line as NAME ROLE SECRET (ROLE read or admin); set, every API call needs one."
                    + " A node reads it with status_tokens."),
    /** {@code max_batch}: bounds the work one JSON-RPC body can ask for. */
    MAX_BATCH("max_batch", Readers.CONTROLLER, 1, 100_000, "100",
            "Most requests in one JSON-RPC batch; a larger batch gets -32600 and none of it runs."),
    /** {@code console}: the web console at {@code /} of {@code controller_port}. */
    CONSOLE("console", Readers.CONTROLLER, Type.BOOLEAN, "true",
            "Serve the web console (HTML, no data) at / of controller_port; it reads and acts through the JSON-RPC API."),
    /** {@code timestamp_error_margin}. */
    TIMESTAMP_ERROR_MARGIN("timestamp_error_margin", Readers.CONTROLLER, Type.DURATION, "30s",
            "How far the ts of an HMAC-signed request may be from the controller's clock; also how long replays are remembered."),

    // ---- Node ----

    /** {@code node_host}. */
    NODE_HOST("node_host", Readers.NODE, Type.HOST, "127.0.0.1",
            "Address instances bind to; 0.0.0.0 or :: binds every interface (then node_advertise_host is required)."),
    /** {@code node_advertise_host}: what others are told, where {@code node_host} may be a wildcard. */
    NODE_ADVERTISE_HOST("node_advertise_host", Readers.NODE, Type.OPTIONAL_HOST, "",
            "Address the node gives the controller (hello, shown by nodes) and that redirect rules rewrite to;"
                    + " none means node_host. Required when node_host is a wildcard address."),
    /** {@code node_port}. */
    NODE_PORT("node_port", Readers.NODE, Type.PORT, "49002",
            "Port of the node's status/metrics HTTP endpoint; must lie outside port_range."),
    /** {@code port_range}. */
    PORT_RANGE("port_range", Readers.NODE, Type.PORT_RANGE, "49003,50000",
            "Ports handed to instances, first,last inclusive."),
    /** {@code cache_path}. */
    CACHE_PATH("cache_path", Readers.NODE, Type.PATH, "/var/tmp/opencache/",
            "Directory of the on-disk cache."),
    /** {@code keep_alive_interval}. */
    KEEP_ALIVE_INTERVAL("keep_alive_interval", Readers.NODE, Type.DURATION, "5s",
            "How often the node tells the controller it is alive."),
    /** {@code stat_refresh}. */
    STAT_REFRESH("stat_refresh", Readers.NODE, Type.DURATION, "60s",
            "Period of stat reports, and the window of avg_load."),
    /** {@code alert_load}. */
    ALERT_LOAD("alert_load", Readers.NODE, 1, Integer.MAX_VALUE, "500",
            "Requests per second above which the node sends a load alert."),
    /** {@code alert_disk}. */
    ALERT_DISK("alert_disk", Readers.NODE, Type.SIZE, "9GB",
            "Disk use above which the node sends a disk alert."),
    /** {@code max_disk}. */
    MAX_DISK("max_disk", Readers.NODE, Type.SIZE, "10GB",
            "Bound of the disk tier, counted in whole blocks as du does; 0B means no limit."),
    /** {@code max_cache_size}. */
    MAX_CACHE_SIZE("max_cache_size", Readers.NODE, Type.SIZE, "1GB",
            "Bound of the memory tier; 0B means no limit (then a quarter of the JVM's max heap)."),
    /** {@code max_item_size}. */
    MAX_ITEM_SIZE("max_item_size", Readers.NODE, Type.SIZE, "10MB",
            "Larger responses are passed through uncached; 0B means no limit."),
    /** {@code cache_purge_time}. */
    CACHE_PURGE_TIME("cache_purge_time", Readers.NODE, Type.DURATION, "60s",
            "Period of the active purge of expired objects."),
    /** {@code openflow_switch}. */
    OPENFLOW_SWITCH("openflow_switch", Readers.NODE, Type.OPENFLOW_ADDRESS, "",
            "The switch's OpenFlow listener, e.g. tcp:127.0.0.1:6653; none means no redirection."),
    /** {@code redirect_lease}. */
    REDIRECT_LEASE("redirect_lease", Readers.NODE, Type.DURATION, "10s",
            "Hard timeout of redirect rules; the node refreshes them, so if it dies clients reach the origin."),
    /** {@code horizon}. */
    HORIZON("horizon", Readers.NODE, Type.DURATION_OR_ZERO, "0s",
            "Freshness given to responses that state none; 0s asks the origin again on every request."),
    /** {@code targeted_cache_control}: the target list of RFC 9213 §2.1 (docs/http-caching.md). */
    TARGETED_CACHE_CONTROL("targeted_cache_control", Readers.NODE, Type.FIELD_NAMES,
            "OpenCache-Cache-Control, CDN-Cache-Control, Surrogate-Control",
            "Response fields (RFC 9213; Surrogate-Control of the W3C Edge Architecture) that, in this order,"
                    + " replace Cache-Control and Expires for the cache: the first one present with a valid value"
                    + " wins; none means only Cache-Control."),
    /** {@code targeted_cache_control_forward}. */
    TARGETED_CACHE_CONTROL_FORWARD("targeted_cache_control_forward", Readers.NODE, Type.BOOLEAN, "false",
            "Whether clients are sent the targeted_cache_control fields; false: the cache, the last of its"
                    + " class, removes them (RFC 9213 §3)."),
    /** {@code set_cookie}: docs/http-caching.md, "Set-Cookie". */
    SET_COOKIE("set_cookie", Readers.NODE, Type.SET_COOKIE, "strip",
            "Responses with Set-Cookie: strip stores them without it when public, s-maxage or a targeted"
                    + " field shares them; pass never stores them; store keeps and serves the cookie (RFC 9111 §7.3)."),
    /** {@code origin_connect_timeout}. */
    ORIGIN_CONNECT_TIMEOUT("origin_connect_timeout", Readers.NODE, Type.TIMEOUT, "5s",
            "How long a TCP connect to an origin may take."),
    /** {@code origin_read_timeout}, named after nginx's {@code proxy_read_timeout}. */
    ORIGIN_READ_TIMEOUT("origin_read_timeout", Readers.NODE, Type.TIMEOUT, "30s",
            "How long an origin may take to send the response headers, or stay silent mid-body;"
                    + " also how long collapsed requests and fetch/seed commands wait."),
    /** {@code client_header_timeout}, named after nginx's. */
    CLIENT_HEADER_TIMEOUT("client_header_timeout", Readers.NODE, Type.TIMEOUT, "10s",
            "How long a client may take to send a request's line and headers, in all; then its connection is closed."),
    /** {@code max_connections_per_client}. */
    MAX_CONNECTIONS_PER_CLIENT("max_connections_per_client", Readers.NODE, 0, Integer.MAX_VALUE, "256",
            "Open connections one client address may have to all the node's instances together;"
                    + " more are closed at once. 0 means no limit."),
    /** {@code sendfile_min_size}. */
    SENDFILE_MIN_SIZE("sendfile_min_size", Readers.NODE, Type.SIZE, "32KB",
            "Hits of at least this size are sent from their body file with sendfile(2), smaller ones copied."),
    /** {@code open_body_files}. */
    OPEN_BODY_FILES("open_body_files", Readers.NODE, 1, Integer.MAX_VALUE, "256",
            "Segment files kept open for reads and sendfile, the most used ones; one file descriptor each."),
    /** {@code controller_public_key}: the key a CURVE-secured node expects of its controller. */
    CONTROLLER_PUBLIC_KEY("controller_public_key", Readers.NODE, Type.OPTIONAL_PATH, "",
            "The controller's link.pub; required with link_secret_key."),
    /** {@code node_admin_host}. */
    NODE_ADMIN_HOST("node_admin_host", Readers.NODE, Type.OPTIONAL_HOST, "",
            "Address the status/metrics endpoint (node_port) binds to; none means node_host."),
    /** {@code status_tokens}. */
    STATUS_TOKENS("status_tokens", Readers.NODE, Type.BOOLEAN, "false",
            "Whether /status and /metrics require a bearer token of api_tokens_file (any role)."),
    /** {@code origin_deny}: the default refusals of docs/design.md §6 always apply. */
    ORIGIN_DENY("origin_deny", Readers.NODE, Type.ADDRESS_RANGES, "",
            "Address blocks (CIDR, comma-separated) no instance may fetch from, whatever its expression;"
                    + " loopback, link-local and the node's own addresses are refused unless an expression names them."),
    /** {@code purge_allow}: who may send HTTP PURGE to an instance port (docs/design.md §6). */
    PURGE_ALLOW("purge_allow", Readers.NODE, Type.ADDRESS_RANGES, "",
            "Client address blocks (CIDR, comma-separated) that may send PURGE to an instance port;"
                    + " none means PURGE is refused (403) for everyone."),
    /** {@code cache_authorized}: what requests with credentials do (docs/http-caching.md, RFC 9111 §3.5). */
    CACHE_AUTHORIZED("cache_authorized", Readers.NODE, Type.BOOLEAN, "true",
            "Whether requests with Authorization use the cache as RFC 9111 §3.5 allows (responses with public,"
                    + " s-maxage or must-revalidate are stored and shared); false relays them uncached."),
    /** {@code access_log}, named after nginx's (docs/design.md §6). */
    ACCESS_LOG("access_log", Readers.NODE, Type.OPTIONAL_PATH, "",
            "File that gets one line per request of every instance port (reopened on SIGHUP or opencache reopen-logs);"
                    + " none means no access log."),
    /** {@code access_log_format}. */
    ACCESS_LOG_FORMAT("access_log_format", Readers.NODE, Type.ACCESS_LOG_FORMAT, "combined",
            "combined: nginx's combined format, then Cache-Status, instance, upstream and total seconds;"
                    + " json: one object per line with the same fields."),

    // ---- The original OpenCache's, read by no role ----

    /** {@code openflow_host}: the original's Floodlight REST integration; we speak OpenFlow directly. */
    OPENFLOW_HOST("openflow_host", Readers.NONE, Type.UNUSED, "",
            "Floodlight REST host of the original OpenCache; not used (nodes speak OpenFlow, see openflow_switch)."),
    /** {@code openflow_port}: the original's Floodlight REST integration. */
    OPENFLOW_PORT("openflow_port", Readers.NONE, Type.UNUSED, "",
            "Floodlight REST port of the original OpenCache; not used."),
    /** {@code switch_dpid}: the original's Floodlight REST integration. */
    SWITCH_DPID("switch_dpid", Readers.NONE, Type.UNUSED, "",
            "Switch datapath id for the original OpenCache's Floodlight rules; not used."),
    /** {@code vlan_id}: the original's Floodlight REST integration. */
    VLAN_ID("vlan_id", Readers.NONE, Type.UNUSED, "",
            "VLAN of the original OpenCache's Floodlight rules; not used.");

    private static final Map<String, ConfigKey> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));

    private final String key;
    private final Set<Role> roles;
    private final Type type;
    private final int min;
    private final int max;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, Set<Role> roles, Type type, String defaultValue, String description) {
        this(key, roles, type, Integer.MIN_VALUE, Integer.MAX_VALUE, defaultValue, description);
    }

    /** A {@link Type#WHOLE} number in {@code [min, max]}. */
    ConfigKey(String key, Set<Role> roles, int min, int max, String defaultValue, String description) {
        this(key, roles, Type.WHOLE, min, max, defaultValue, description);
    }

    ConfigKey(String key, Set<Role> roles, Type type, int min, int max, String defaultValue, String description) {
        this.key = key;
        this.roles = roles;
        this.type = type;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** {@return the key as written in a file, e.g. {@code max_disk}} */
    public String key() {
        return key;
    }

    /** {@return the roles that read the key; empty for the original OpenCache's unused keys} */
    public Set<Role> roles() {
        return roles;
    }

    /** {@return whether the key is the original OpenCache's and read by no role} */
    public boolean legacy() {
        return roles.isEmpty();
    }

    /** {@return what the value must be} */
    public Type type() {
        return type;
    }

    /**
     * {@return the default as an operator would write it ({@code 30s}, {@code 10GB},
     * {@code 49003,50000}); empty when a missing key means "none", and for a legacy key}
     */
    public String defaultValue() {
        return defaultValue;
    }

    /** {@return what the key is for, in one line} */
    public String description() {
        return description;
    }

    /** {@return the type as the key table shows it, with the range of a whole number} */
    public String typeText() {
        if (type != Type.WHOLE) {
            return type.text();
        }
        return max == Integer.MAX_VALUE ? type.text() + " >= " + min : type.text() + " " + min + "-" + max;
    }

    /** Lowest value of a {@link Type#WHOLE} key. */
    int min() {
        return min;
    }

    /** Highest value of a {@link Type#WHOLE} key. */
    int max() {
        return max;
    }

    /** Whether {@code role} reads the key. */
    boolean readBy(Role role) {
        return roles.contains(role);
    }

    /**
     * {@return the key named {@code key}, if OpenCache knows it}
     *
     * @param key as a file writes it, in lower case
     */
    public static Optional<ConfigKey> of(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /**
     * {@return the key table of {@code docs/design.md}: one Markdown row per key, in this enum's
     * order, columns key, role(s), type, default, description; each line ends with a newline}
     */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder()
                .append("| key | role(s) | type | default | description |\n")
                .append("|---|---|---|---|---|\n");
        for (ConfigKey k : values()) {
            table.append("| `").append(k.key).append("` | ")
                    .append(k.rolesText()).append(" | ")
                    .append(cell(k.typeText())).append(" | ")
                    .append(k.defaultValue.isEmpty() ? "none" : "`" + k.defaultValue + "`").append(" | ")
                    .append(cell(k.description)).append(" |\n");
        }
        return table.toString();
    }

    private String rolesText() {
        if (roles.isEmpty()) {
            return "none (original OpenCache)";
        }
        return roles.stream().map(Role::noun).collect(Collectors.joining(", "));
    }

    /** A pipe would end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** The role sets of the table; a holder, because an enum's constants cannot use its own static fields. */
    private static final class Readers {
        // An EnumSet keeps the roles in declaration order for the table.
        static final Set<Role> BOTH = Collections.unmodifiableSet(EnumSet.allOf(Role.class));
        static final Set<Role> CONTROLLER = Set.of(Role.CONTROLLER);
        static final Set<Role> NODE = Set.of(Role.NODE);
        static final Set<Role> NONE = Set.of();
    }

    /**
     * What a key's value must be. Sizes and durations are written as {@link Units} reads them;
     * "or empty" types read an empty or missing value as "none".
     */
    public enum Type {
        /** A host name or address without spaces. */
        HOST("host"),
        /** A host name or address, or empty for none. */
        OPTIONAL_HOST("host or empty"),
        /** A TCP port, 1-65535. */
        PORT("port"),
        /** Two ports {@code first,last} (or {@code first-last}), {@code first <= last}. */
        PORT_RANGE("port range first,last"),
        /** A whole number of bytes or a number with a binary unit ({@code 10MB}). */
        SIZE("size"),
        /** A duration greater than zero ({@code 30s}). */
        DURATION("duration > 0"),
        /** A duration, zero allowed. */
        DURATION_OR_ZERO("duration >= 0"),
        /**
         * A duration of at least a millisecond: Jetty counts timeouts in whole milliseconds and
         * takes 0 for no timeout at all.
         */
        TIMEOUT("duration >= 1ms"),
        /** A whole number within the key's range. */
        WHOLE("whole number"),
        /** A file system path. */
        PATH("path"),
        /** A file system path, or empty for none. */
        OPTIONAL_PATH("path or empty"),
        /** A switch's OpenFlow listener {@code tcp:HOST:PORT}, or empty for none. */
        OPENFLOW_ADDRESS("tcp:HOST:PORT or empty"),
        /** {@code true} or {@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}). */
        BOOLEAN("true or false"),
        /** A MongoDB connection string ({@code mongodb://} or {@code mongodb+srv://}), or empty for none. */
        DATABASE_URI("MongoDB URI or empty"),
        /** A MongoDB database name. */
        DATABASE_NAME("MongoDB database name"),
        /** Comma-separated IPv4 or IPv6 blocks in CIDR notation ({@link AddressRange}), or empty for none. */
        ADDRESS_RANGES("CIDR list or empty"),
        /** An access log's line format, {@code combined} or {@code json} ({@link AccessLogConfig.Format}). */
        ACCESS_LOG_FORMAT("combined or json"),
        /** HTTP field names, comma-separated, in order ({@link ResponseRulesConfig#fieldNames}), or empty for none. */
        FIELD_NAMES("field names or empty"),
        /** {@code store}, {@code strip} or {@code pass} ({@link ResponseRulesConfig.SetCookie}). */
        SET_COOKIE("store, strip or pass"),
        /** Anything: the key is read by no role. */
        UNUSED("any (ignored)");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        /** {@return the type as the key table shows it} */
        public String text() {
            return text;
        }
    }
}
