package org.opencache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.LoggingConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.Units;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.tls.TlsIdentity;

/**
 * Configurations for tests, on loopback. A controller's is built with the record's constructor,
 * so its API can take an ephemeral port (port 0, which the config keys do not allow); a node's
 * is a set of config keys, read by the real {@link ConfigReader} or written as the file an
 * operator would give {@code bin/opencache}.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A controller on 127.0.0.1: the API on an ephemeral port, the node link on a free port, the
     * embedded database under {@code dataPath}; node timeout 30 s, command timeout 5 s, stats kept
     * 24 h, as the defaults.
     */
    public static ControllerBuilder controller(Path dataPath) {
        return new ControllerBuilder(dataPath);
    }

    /**
     * A node on 127.0.0.1 whose controller's link is at 127.0.0.1:{@code notificationPort}, with
     * its cache under {@code cachePath}; every other key at its default until {@link NodeBuilder#set}.
     */
    public static NodeBuilder node(Path cachePath, int notificationPort) {
        return new NodeBuilder()
                .set("node_host", "127.0.0.1")
                .set("controller_host", "127.0.0.1")
                .set("notification_port", notificationPort)
                .set("cache_path", cachePath);
    }

    /**
     * A node that joins a test's controller: as {@link #node}, with a free {@code node_port}, its
     * instances' ports in {@code portRange} (a {@code port_range} value) and a keep-alive every second.
     */
    public static NodeBuilder joiningNode(Path cachePath, int notificationPort, String portRange) {
        return node(cachePath, notificationPort)
                .set("node_port", Ports.free())
                .set("port_range", portRange)
                .set("keep_alive_interval", "1s");
    }

    /** A controller configuration; each setter replaces one value. */
    public static final class ControllerBuilder {
        private String host = "127.0.0.1";
        private int apiPort;
        private int notificationPort = Ports.free();
        private Optional<String> databaseUri = Optional.empty();
        private final Path dataPath;
        private Duration nodeTimeout = Duration.ofSeconds(30);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration statRetention = Duration.ofHours(24);
        private Optional<ControllerLinkKeys> linkKeys = Optional.empty();
        private Optional<TlsIdentity> apiTls = Optional.empty();
        private Optional<ApiTokens> apiTokens = Optional.empty();
        private Duration timestampErrorMargin = Duration.ofSeconds(30);
        private int maxBatch = 100;
        private boolean console = true;

        private ControllerBuilder(Path dataPath) {
            this.dataPath = Objects.requireNonNull(dataPath, "dataPath");
        }

        /** The address of both the API and the node link ({@code controller_host}). */
        public ControllerBuilder host(String host) {
            this.host = host;
            return this;
        }

        /** The API's port ({@code controller_port}); 0, the default, takes an ephemeral one. */
        public ControllerBuilder apiPort(int port) {
            this.apiPort = port;
            return this;
        }

        /** The node link's port ({@code notification_port}). */
        public ControllerBuilder notificationPort(int port) {
            this.notificationPort = port;
            return this;
        }

        /** The database at {@code uri} instead of the embedded one. */
        public ControllerBuilder database(String uri) {
            this.databaseUri = Optional.of(uri);
            return this;
        }

        /** {@code node_timeout}. */
        public ControllerBuilder nodeTimeout(Duration timeout) {
            this.nodeTimeout = timeout;
            return this;
        }

        /** {@code command_timeout}. */
        public ControllerBuilder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** {@code stat_retention}. */
        public ControllerBuilder statRetention(Duration retention) {
            this.statRetention = retention;
            return this;
        }

        /** CURVE on the node link ({@code link_secret_key}, {@code link_authorized_keys}). */
        public ControllerBuilder linkKeys(ControllerLinkKeys keys) {
            this.linkKeys = Optional.of(keys);
            return this;
        }

        /** HTTPS on the API with this certificate and key, and client CAs when it has them ({@code api_tls_*}). */
        public ControllerBuilder tls(TlsIdentity identity) {
            this.apiTls = Optional.of(identity);
            return this;
        }

        /** Calls need one of these tokens ({@code api_tokens_file}). */
        public ControllerBuilder tokens(ApiTokens tokens) {
            this.apiTokens = Optional.of(tokens);
            return this;
        }

        /** {@code timestamp_error_margin}. */
        public ControllerBuilder timestampErrorMargin(Duration margin) {
            this.timestampErrorMargin = margin;
            return this;
        }

        /** {@code max_batch}. */
        public ControllerBuilder maxBatch(int requests) {
            this.maxBatch = requests;
            return this;
        }

        /** {@code console}: whether {@code /} serves the web console. */
        public ControllerBuilder console(boolean serve) {
            this.console = serve;
            return this;
        }

        public ControllerConfig build() {
            return new ControllerConfig(host, apiPort, notificationPort, databaseUri, "opencache", dataPath,
                    nodeTimeout, commandTimeout, statRetention, linkKeys, new LoggingConfig(Optional.empty(), 3),
                    apiTls, apiTokens, timestampErrorMargin, maxBatch, console);
        }
    }

    /** A node configuration as config keys, in the order they were set. */
    public static final class NodeBuilder {
        private final Map<String, String> keys = new LinkedHashMap<>();

        private NodeBuilder() {
        }

        /**
         * Sets a key of the {@code [config]} section; a {@link Duration} is written as the file
         * would have it ({@code 400ms}), anything else as its string.
         */
        public NodeBuilder set(String key, Object value) {
            keys.put(key, value instanceof Duration duration ? Units.formatDuration(duration) : String.valueOf(value));
            return this;
        }

        /** The keys set so far. */
        public Map<String, String> keys() {
            return Map.copyOf(keys);
        }

        /** The configuration {@link ConfigReader} makes of these keys; an invalid one fails the test. */
        public NodeConfig build() {
            try {
                return ConfigReader.node(keys, "test node config");
            } catch (ConfigException e) {
                throw new IllegalArgumentException("invalid test node config: " + e.getMessage(), e);
            }
        }

        /** Writes these keys as an INI file with a {@code [config]} section; returns {@code file}. */
        public Path write(Path file) {
            StringBuilder text = new StringBuilder("[config]\n");
            keys.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
            try {
                return Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
