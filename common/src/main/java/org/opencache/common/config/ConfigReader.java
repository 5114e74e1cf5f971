package org.opencache.common.config;

import static org.opencache.common.config.ConfigKey.ACCESS_LOG;
import static org.opencache.common.config.ConfigKey.ACCESS_LOG_FORMAT;
import static org.opencache.common.config.ConfigKey.ALERT_DISK;
import static org.opencache.common.config.ConfigKey.ALERT_LOAD;
import static org.opencache.common.config.ConfigKey.API_TLS_CERT;
import static org.opencache.common.config.ConfigKey.API_TLS_CLIENT_CA;
import static org.opencache.common.config.ConfigKey.API_TLS_KEY;
import static org.opencache.common.config.ConfigKey.API_TOKENS_FILE;
import static org.opencache.common.config.ConfigKey.CACHE_AUTHORIZED;
import static org.opencache.common.config.ConfigKey.CACHE_PATH;
import static org.opencache.common.config.ConfigKey.CACHE_PURGE_TIME;
import static org.opencache.common.config.ConfigKey.CLIENT_HEADER_TIMEOUT;
import static org.opencache.common.config.ConfigKey.COMMAND_TIMEOUT;
import static org.opencache.common.config.ConfigKey.CONTROLLER_HOST;
import static org.opencache.common.config.ConfigKey.CONTROLLER_PORT;
import static org.opencache.common.config.ConfigKey.CONTROLLER_PUBLIC_KEY;
import static org.opencache.common.config.ConfigKey.DATABASE_HOST;
import static org.opencache.common.config.ConfigKey.DATABASE_NAME;
import static org.opencache.common.config.ConfigKey.DATABASE_PORT;
import static org.opencache.common.config.ConfigKey.DATABASE_URI;
import static org.opencache.common.config.ConfigKey.DATA_PATH;
import static org.opencache.common.config.ConfigKey.HORIZON;
import static org.opencache.common.config.ConfigKey.KEEP_ALIVE_INTERVAL;
import static org.opencache.common.config.ConfigKey.LINK_AUTHORIZED_KEYS;
import static org.opencache.common.config.ConfigKey.LINK_SECRET_KEY;
import static org.opencache.common.config.ConfigKey.LOG_PATH;
import static org.opencache.common.config.ConfigKey.CONSOLE;
import static org.opencache.common.config.ConfigKey.MAX_BATCH;
import static org.opencache.common.config.ConfigKey.MAX_CACHE_SIZE;
import static org.opencache.common.config.ConfigKey.MAX_CONNECTIONS_PER_CLIENT;
import static org.opencache.common.config.ConfigKey.MAX_DISK;
import static org.opencache.common.config.ConfigKey.MAX_ITEM_SIZE;
import static org.opencache.common.config.ConfigKey.NODE_ADMIN_HOST;
import static org.opencache.common.config.ConfigKey.NODE_ADVERTISE_HOST;
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
import static org.opencache.common.config.ConfigKey.PURGE_ALLOW;
import static org.opencache.common.config.ConfigKey.REDIRECT_LEASE;
import static org.opencache.common.config.ConfigKey.SENDFILE_MIN_SIZE;
import static org.opencache.common.config.ConfigKey.SET_COOKIE;
import static org.opencache.common.config.ConfigKey.STATUS_TOKENS;
import static org.opencache.common.config.ConfigKey.STAT_REFRESH;
import static org.opencache.common.config.ConfigKey.STAT_RETENTION;
import static org.opencache.common.config.ConfigKey.TARGETED_CACHE_CONTROL;
import static org.opencache.common.config.ConfigKey.TARGETED_CACHE_CONTROL_FORWARD;
import static org.opencache.common.config.ConfigKey.TIMESTAMP_ERROR_MARGIN;
import static org.opencache.common.config.ConfigKey.VERBOSITY;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.auth.TokenFileException;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.keys.CurveKey;
import org.opencache.common.keys.LinkKeyPair;
import org.opencache.common.keys.LinkKeys;
import org.opencache.common.keys.NodeLinkKeys;
import org.opencache.common.tls.PemException;
import org.opencache.common.tls.PemFiles;
import org.opencache.common.tls.TlsIdentity;
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
        ControllerConfig config = new ControllerConfig(
                v.host(CONTROLLER_HOST),
                v.port(CONTROLLER_PORT),
                v.port(NOTIFICATION_PORT),
                databaseUri(v),
                v.databaseName(DATABASE_NAME),
                v.path(DATA_PATH),
                v.duration(NODE_TIMEOUT),
                v.duration(COMMAND_TIMEOUT),
                v.duration(STAT_RETENTION),
                controllerLinkKeys(v),
                logging(v),
                apiTls(v),
                apiTokens(v),
                v.duration(TIMESTAMP_ERROR_MARGIN),
                v.whole(MAX_BATCH),
                v.bool(CONSOLE));
        SafeDefaults.check(config, v, notes);
        return config;
    }

    static NodeConfig node(Map<String, String> raw, String sourceName, Notes notes) throws ConfigException {
        Values v = Values.of(raw, sourceName, Role.NODE);
        ConfigKeys.report(v, Role.NODE, notes);
        PortRange portRange = v.portRange(PORT_RANGE);
        String nodeHost = v.host(NODE_HOST);
        NodeConfig config = new NodeConfig(
                nodeHost,
                advertiseHost(v, nodeHost),
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
                v.duration(CLIENT_HEADER_TIMEOUT),
                v.whole(MAX_CONNECTIONS_PER_CLIENT),
                v.addressRanges(ORIGIN_DENY),
                v.addressRanges(PURGE_ALLOW),
                nodeLinkKeys(v),
                logging(v),
                v.optionalHost(NODE_ADMIN_HOST).orElse(nodeHost),
                statusTokens(v),
                new AccessLogConfig(v.optionalPath(ACCESS_LOG), v.accessLogFormat(ACCESS_LOG_FORMAT)),
                new ResponseRulesConfig(v.fieldNames(TARGETED_CACHE_CONTROL), v.bool(TARGETED_CACHE_CONTROL_FORWARD),
                        v.setCookie(SET_COOKIE), v.bool(CACHE_AUTHORIZED)));
        SafeDefaults.check(config, v, notes);
        return config;
    }

    /**
     * {@code node_advertise_host}, else {@code node_host}. A wildcard {@code node_host} binds every
     * interface but names none the controller or a redirect rule could use, so then the key is
     * required; and it may not be a wildcard itself.
     */
    private static String advertiseHost(Values v, String nodeHost) throws ConfigException {
        Optional<String> advertised = v.optionalHost(NODE_ADVERTISE_HOST);
        if (advertised.isPresent() && isWildcard(advertised.get())) {
            throw v.error(NODE_ADVERTISE_HOST, advertised.get() + " is a wildcard address; it must be the address"
                    + " the controller and the switch's redirect rules reach this node at");
        }
        if (advertised.isEmpty() && isWildcard(nodeHost)) {
            throw v.error(NODE_ADVERTISE_HOST, "is required because node_host " + nodeHost + " is a wildcard address"
                    + " (every interface): set it to the address the controller and the switch's redirect rules"
                    + " should use for this node, e.g. node_advertise_host = 192.0.2.20");
        }
        return advertised.orElse(nodeHost);
    }

    /** Whether {@code host} is an address literal meaning every interface: 0.0.0.0, ::, [::] and their spellings. */
    static boolean isWildcard(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only literals: a name is never a wildcard, and must not be looked up here.
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
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

    /**
     * CURVE on the controller: both {@code link_secret_key} and {@code link_authorized_keys}, or
     * neither; either alone is an error naming the other, since half a configuration would
     * silently leave the link open or shut every node out.
     */
    private static Optional<ControllerLinkKeys> controllerLinkKeys(Values v) throws ConfigException {
        Optional<Path> secret = v.optionalPath(LINK_SECRET_KEY);
        Optional<Path> authorized = v.optionalPath(LINK_AUTHORIZED_KEYS);
        if (secret.isEmpty() && authorized.isEmpty()) {
            return Optional.empty();
        }
        if (authorized.isEmpty()) {
            throw v.error(LINK_AUTHORIZED_KEYS, "is required with link_secret_key: the node public keys this "
                    + "controller accepts (a file of keys or a directory of .pub files)");
        }
        if (secret.isEmpty()) {
            throw v.error(LINK_SECRET_KEY, "is required with link_authorized_keys: this controller's link.key "
                    + "(make one with: opencache keygen DIR)");
        }
        LinkKeyPair own = secretKey(v, secret.get());
        try {
            Set<CurveKey> keys = LinkKeys.readAuthorized(authorized.get());
            return Optional.of(new ControllerLinkKeys(own, keys));
        } catch (IOException e) {
            throw v.error(LINK_AUTHORIZED_KEYS, "cannot be read: " + describe(e));
        }
    }

    /** CURVE on a node: both {@code link_secret_key} and {@code controller_public_key}, or neither. */
    private static Optional<NodeLinkKeys> nodeLinkKeys(Values v) throws ConfigException {
        Optional<Path> secret = v.optionalPath(LINK_SECRET_KEY);
        Optional<Path> controller = v.optionalPath(CONTROLLER_PUBLIC_KEY);
        if (secret.isEmpty() && controller.isEmpty()) {
            return Optional.empty();
        }
        if (controller.isEmpty()) {
            throw v.error(CONTROLLER_PUBLIC_KEY, "is required with link_secret_key: the controller's link.pub");
        }
        if (secret.isEmpty()) {
            throw v.error(LINK_SECRET_KEY, "is required with controller_public_key: this node's link.key "
                    + "(make one with: opencache keygen DIR)");
        }
        LinkKeyPair own = secretKey(v, secret.get());
        try {
            return Optional.of(new NodeLinkKeys(own, LinkKeys.readPublic(controller.get())));
        } catch (IOException e) {
            throw v.error(CONTROLLER_PUBLIC_KEY, "cannot be read: " + describe(e));
        }
    }

    private static LinkKeyPair secretKey(Values v, Path file) throws ConfigException {
        try {
            return LinkKeys.readSecret(file);
        } catch (IOException e) {
            throw v.error(LINK_SECRET_KEY, "cannot be read: " + describe(e));
        }
    }

    /** An I/O failure in words: the JDK's NoSuchFileException says only the path. */
    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> missing.getFile() + ": no such file";
            case AccessDeniedException denied -> denied.getFile() + ": permission denied";
            default -> e.getMessage();
        };
    }

    /**
     * {@code api_tls_cert} and {@code api_tls_key} together switch the API to HTTPS;
     * {@code api_tls_client_ca} adds client certificates and needs both. The files are read
     * here, so a bad one stops the process with status 2 naming its key.
     */
    private static Optional<TlsIdentity> apiTls(Values v) throws ConfigException {
        Optional<Path> cert = v.optionalPath(API_TLS_CERT);
        Optional<Path> key = v.optionalPath(API_TLS_KEY);
        Optional<Path> clientCa = v.optionalPath(API_TLS_CLIENT_CA);
        if (cert.isEmpty() && key.isEmpty()) {
            if (clientCa.isPresent()) {
                throw v.error(API_TLS_CLIENT_CA, "needs api_tls_cert and api_tls_key: client certificates"
                        + " are asked for only over TLS");
            }
            return Optional.empty();
        }
        if (cert.isEmpty()) {
            throw v.error(API_TLS_CERT, "is not set, but api_tls_key is; set both to serve HTTPS");
        }
        if (key.isEmpty()) {
            throw v.error(API_TLS_KEY, "is not set, but api_tls_cert is; set both to serve HTTPS");
        }
        List<X509Certificate> chain = certificates(v, API_TLS_CERT, cert.get());
        PrivateKey privateKey;
        try {
            privateKey = PemFiles.privateKey(key.get());
        } catch (PemException e) {
            throw v.error(API_TLS_KEY, "'" + key.get() + "' " + e.getMessage());
        }
        if (!TlsIdentity.matches(chain, privateKey)) {
            throw v.error(API_TLS_KEY, "'" + key.get() + "' is not the private key of the first certificate in '"
                    + cert.get() + "'");
        }
        Optional<List<X509Certificate>> cas = clientCa.isEmpty() ? Optional.empty()
                : Optional.of(certificates(v, API_TLS_CLIENT_CA, clientCa.get()));
        return Optional.of(new TlsIdentity(chain, privateKey, cas));
    }

    private static List<X509Certificate> certificates(Values v, ConfigKey key, Path file) throws ConfigException {
        try {
            return PemFiles.certificates(file);
        } catch (PemException e) {
            throw v.error(key, "'" + file + "' " + e.getMessage());
        }
    }

    /** The tokens of {@code api_tokens_file}, read and checked now. */
    private static Optional<ApiTokens> apiTokens(Values v) throws ConfigException {
        Optional<Path> file = v.optionalPath(API_TOKENS_FILE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiTokens.read(file.get()));
        } catch (TokenFileException e) {
            throw v.error(API_TOKENS_FILE, "'" + file.get() + "' " + e.getMessage());
        }
    }

    /**
     * A node reads the file of {@code api_tokens_file} only when {@code status_tokens} asks for
     * it (a file for both roles may name the controller's file), but checks the path's form always.
     */
    private static Optional<ApiTokens> statusTokens(Values v) throws ConfigException {
        v.optionalPath(API_TOKENS_FILE);
        if (!v.bool(STATUS_TOKENS)) {
            return Optional.empty();
        }
        Optional<ApiTokens> tokens = apiTokens(v);
        if (tokens.isEmpty()) {
            throw v.error(STATUS_TOKENS, "is true, but api_tokens_file is not set; it names the tokens to require");
        }
        return tokens;
    }

    private static LoggingConfig logging(Values v) throws ConfigException {
        return new LoggingConfig(v.optionalPath(LOG_PATH), v.endsWithSeparator(LOG_PATH), v.whole(VERBOSITY));
    }
}
