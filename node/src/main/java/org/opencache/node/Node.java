package org.opencache.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.node.accesslog.AccessLog;
import org.opencache.node.http.origin.NodeAddresses;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.http.serve.CacheHandler;
import org.opencache.node.http.serve.ClientHttpConfiguration;
import org.opencache.node.http.serve.ClientLimits;
import org.opencache.node.http.serve.FileSendingConnector;
import org.opencache.node.instance.InstanceHandler;
import org.opencache.node.instance.InstanceManager;
import org.opencache.node.instance.PortAllocator;
import org.opencache.node.instance.Redirector;
import org.opencache.node.link.ControllerLink;
import org.opencache.node.link.NodeIdentity;
import org.opencache.node.openflow.RedirectService;
import org.opencache.node.openflow.SwitchFacing;
import org.opencache.node.stats.InstanceView;
import org.opencache.node.stats.NodeMeters;
import org.opencache.node.stats.StatReporter;
import org.opencache.node.stats.StatSink;
import org.opencache.node.status.NodeStatusSource;
import org.opencache.node.status.StatusServer;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.PrivateFiles;
import org.opencache.node.store.StorePurger;
import org.opencache.node.store.TieredObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: storage, the cache instances, the status endpoint, statistics, and the link
 * to the controller. Serving does not depend on the controller: instances saved in
 * {@code cache_path} come back at start, before the controller is reached, and keep serving if
 * it goes away. {@link #close()} says goodbye and stops everything in reverse order.
 */
public final class Node implements AutoCloseable, NodeStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** Below the controller's default command_timeout (5 s), so a slow switch is reported as such. */
    private static final Duration REDIRECT_CONFIRM_TIMEOUT = Duration.ofSeconds(3);

    private final String uuid;
    private final Optional<String> linkPublicKey;
    private final Instant startedAt = Instant.now();
    private final List<AutoCloseable> parts = new ArrayList<>();
    /** Every meter of the node, scraped at {@code /metrics}. */
    private final NodeMeters meters = new NodeMeters();
    private ObjectStore store;
    private InstanceManager instances;
    private StatusServer status;
    private volatile ControllerLink link;
    private Optional<AccessLog> accessLog = Optional.empty();

    private Node(String uuid, Optional<String> linkPublicKey) {
        this.uuid = uuid;
        this.linkPublicKey = linkPublicKey;
    }

    /**
     * Starts every part of the node.
     *
     * @throws Exception when a part cannot start (cache_path unusable, node_port taken…); what
     *                   was started is stopped again
     */
    public static Node start(NodeConfig config) throws Exception {
        PrivateFiles.createDirectories(config.cachePath());
        tighten(config.cachePath());
        Node node = new Node(NodeIdentity.load(config.cachePath()),
                config.linkKeys().map(keys -> keys.own().publicKey().z85()));
        try {
            node.startParts(config, Clock.systemUTC());
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return node;
    }

    /**
     * Earlier versions created cache_path with the umask's modes: its directories down to the
     * shards of objects/ become 0700 and the files there 0600 (deeper files are then out of
     * everyone else's reach).
     */
    private static void tighten(Path cachePath) throws IOException {
        List<Path> changed = PrivateFiles.tighten(cachePath, 3);
        if (!changed.isEmpty()) {
            LOG.info("cache_path {}: {} directories and files made private to this user (0700/0600), e.g. {}",
                    cachePath, changed.size(), changed.getFirst());
        }
    }

    private void startParts(NodeConfig config, Clock clock) throws Exception {
        TieredObjectStore tiered = open(config, clock);
        store = tiered;
        parts.add(tiered);
        parts.add(StorePurger.start(tiered, config.cachePurgeTime(), clock));
        OriginClient origins = OriginClient.start(config.originConnectTimeout(), config.originReadTimeout(),
                ClientHttpConfiguration.RELAYABLE_FIELD_BYTES, new NodeAddresses(List.of(config.nodeHost(), config.nodeAdvertiseHost()), clock));
        parts.add(origins);
        // Measured against a bounded QueuedThreadPool(200): as fast or faster on 1 KiB hits
        // (wrk, 64 connections: ~53k vs ~52k requests/s), and requests waiting for a collapsed
        // miss or a slow origin cannot exhaust a fixed number of threads.
        Redirector redirector = redirector(config);
        ClientLimits clientLimits = new ClientLimits(config.clientHeaderTimeout(), config.maxConnectionsPerClient());
        accessLog = openAccessLog(config);
        VirtualThreadPool workers = new VirtualThreadPool();
        workers.setName("cache");
        instances = new InstanceManager(config.nodeHost(), workers,
                new PortAllocator(config.portRange(), InetAddress.getByName(config.nodeHost())),
                (expression, horizon, counters) -> {
                    CacheHandler handler = new CacheHandler(expression, tiered, origins, counters, horizon, clock,
                            OriginAccess.forInstance(expression, config.originDeny()), config.purgeAllow(),
                            config.cacheAuthorized());
                    return new InstanceHandler(handler, Optional.of(handler.prefetcher()));
                }, server -> clientLimits.guard(new FileSendingConnector(server, config.sendfileMinSize(),
                        new HttpConnectionFactory(ClientHttpConfiguration.create()))),
                tiered, config.cachePath(), redirector, meters);
        parts.add(instances);
        accessLog.ifPresent(instances::logRequests);
        instances.restore();
        status = StatusServer.start(config.nodeAdminHost(), config.nodePort(), this, config.statusTokens(), meters);
        parts.add(status);
        StatReporter reporter = new StatReporter(instances::views, tiered, new LinkSink(),
                config.statRefresh(), config.alertLoad(), config.alertDisk(), clock);
        parts.add(reporter);
        NodeCommands commands = new NodeCommands(instances, reporter::reportNow, config.originReadTimeout());
        link = ControllerLink.start(config, uuid, config.nodePort(), instances::states, commands, clock);
        parts.add(link);
        LOG.info("node {} ready: status on http://{}:{}/status{}, controller at {}:{} ({})", uuid, config.nodeAdminHost(),
                status.address().getPort(), config.statusTokens().isPresent() ? " (tokens required)" : "",
                config.controllerHost(), config.notificationPort(),
                linkPublicKey.map(key -> "CURVE, node key " + key).orElse("plain link"));
    }

    /**
     * The switch session when {@code openflow_switch} is set. It closes after the instances (parts
     * close in reverse), so instances remove their own rules first.
     */
    private Redirector redirector(NodeConfig config) throws IOException {
        if (config.openflowSwitch().isEmpty()) {
            return Redirector.NONE;
        }
        RedirectService service = new RedirectService(config.openflowSwitch().get(), uuid,
                SwitchFacing.of(config.nodeAdvertiseHost()), config.redirectLease(), REDIRECT_CONFIRM_TIMEOUT);
        parts.add(service);
        return service;
    }

    /**
     * The access log when {@code access_log} is set; opened before the instances so that it closes
     * after them (parts close in reverse) and their last requests are written.
     */
    private Optional<AccessLog> openAccessLog(NodeConfig config) throws SettingException {
        Optional<Path> file = config.accessLog().file();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            // The instances exist by the time a request completes.
            AccessLog log = AccessLog.open(config.accessLog(), port -> instances.instanceOn(port));
            parts.add(log);
            LOG.info("access log {} ({})", file.get(), config.accessLog().format().name().toLowerCase(Locale.ROOT));
            return Optional.of(log);
        } catch (IOException e) {
            throw new SettingException(ConfigKey.ACCESS_LOG, file.get(), "cannot be opened for appending: " + e, e);
        }
    }

    /**
     * Reopens the access log by its name, for logrotate (SIGHUP or {@code opencache reopen-logs});
     * nothing without {@code access_log}.
     *
     * @return completes once new lines go to the reopened file
     */
    public CompletableFuture<Void> reopenLogs() {
        return accessLog.map(AccessLog::reopen).orElse(CompletableFuture.completedFuture(null));
    }

    @Override
    public long accessLogDropped() {
        return accessLog.map(AccessLog::dropped).orElse(0L);
    }

    private static TieredObjectStore open(NodeConfig config, Clock clock) throws IOException {
        try {
            return TieredObjectStore.open(config, clock);
        } catch (IOException e) {
            throw new IOException("cache_path " + config.cachePath() + ": " + e.getMessage(), e);
        }
    }

    /** Where the status endpoint listens. */
    public InetSocketAddress statusAddress() {
        return status.address();
    }

    @Override
    public Optional<String> linkPublicKey() {
        return linkPublicKey;
    }

    @Override
    public OptionalInt nodeId() {
        return link().map(ControllerLink::nodeId).orElse(OptionalInt.empty());
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public boolean controllerConnected() {
        return link().map(ControllerLink::isConnected).orElse(false);
    }

    @Override
    public List<InstanceView> instances() {
        return instances.views();
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    /** The controller link once started (statistics exist before it: the link needs the commands). */
    private Optional<ControllerLink> link() {
        return Optional.ofNullable(link);
    }

    /** Stops in reverse order of start: goodbye first, storage last (its index is flushed). */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }

    /** Statistics go to the controller through the link, once it exists. */
    private final class LinkSink implements StatSink {
        @Override
        public void stats(List<InstanceStats> stats) {
            link().ifPresent(current -> current.sendStats(stats));
        }

        @Override
        public void alert(String type, double value, String expr) {
            link().ifPresent(current -> current.sendAlert(type, value, expr));
        }
    }
}
