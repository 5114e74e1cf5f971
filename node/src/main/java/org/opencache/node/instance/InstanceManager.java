package org.opencache.node.instance;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.node.http.fill.Prefetcher;
import org.opencache.node.http.rules.Purges;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.stats.InstanceMeters;
import org.opencache.node.stats.InstanceView;
import org.opencache.node.stats.NodeMeters;
import org.opencache.node.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's cache instances: one per expression, each on its own port, all served by one
 * Jetty server and one worker pool. Implements the commands' semantics:
 * <ul>
 *   <li>{@code start}: creates the instance, or resumes a paused or stopped one;</li>
 *   <li>{@code pause}: closes the port, keeps the content and the counters;</li>
 *   <li>{@code stop}: closes the port, frees it, deletes the content;</li>
 * </ul>
 * For {@code pause} and {@code stop}, {@code *} means every instance; for {@code start} it is the
 * wildcard instance that caches all HTTP traffic. Every change is saved so a restarted node
 * brings its instances back ({@link #restore()}). The {@link Redirector} steers clients to an
 * instance once its port is open, and away from it before its port closes.
 */
public final class InstanceManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceManager.class);

    private final Server server;
    private final InstanceRouter router = new InstanceRouter();
    private final String host;
    private final PortAllocator ports;
    private final HandlerFactory handlers;
    private final ConnectorFactory connectors;
    private final ObjectStore store;
    private final InstanceStateFile stateFile;
    private final Redirector redirector;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final NodeMeters meters;

    /**
     * Starts the shared server (no ports yet).
     *
     * @param host      address instances bind to ({@code node_host})
     * @param threads    the worker pool all instances share
     * @param handlers   makes what serves each instance
     * @param connectors makes each instance's listening connector
     * @param cachePath  where the instance list is saved
     * @param redirector steers clients to the instances ({@link Redirector#NONE} without a switch)
     */
    public InstanceManager(String host, ThreadPool threads, PortAllocator ports, HandlerFactory handlers,
                           ConnectorFactory connectors, ObjectStore store, Path cachePath, Redirector redirector)
            throws Exception {
        this(host, threads, ports, handlers, connectors, store, cachePath, redirector, new NodeMeters());
    }

    /**
     * Starts the shared server (no ports yet), with each started or paused instance's meters in
     * {@code meters} ({@link InstanceMeters}); a stop removes them.
     */
    public InstanceManager(String host, ThreadPool threads, PortAllocator ports, HandlerFactory handlers,
                           ConnectorFactory connectors, ObjectStore store, Path cachePath, Redirector redirector,
                           NodeMeters meters) throws Exception {
        this.meters = meters;
        this.redirector = redirector;
        this.host = host;
        this.ports = ports;
        this.handlers = handlers;
        this.connectors = connectors;
        this.store = store;
        this.stateFile = new InstanceStateFile(cachePath);
        this.server = new Server(threads);
        server.setHandler(router);
        server.setStopTimeout(2_000);
        server.start();
    }

    /**
     * Has {@code log} told of every request on every instance port once its response is complete
     * (Jetty calls it after the last byte, or the failure).
     */
    public void logRequests(RequestLog log) {
        server.setRequestLog(log);
    }

    /**
     * {@return the expression of the instance serving {@code port}, or null when no instance
     * does (any more: a request may outlive its instance's pause)}; for the access log, on request threads
     */
    public String instanceOn(int port) {
        return router.instanceOn(port);
    }

    /** Brings back the instances that were running or paused before the node stopped. */
    public synchronized void restore() throws IOException {
        for (InstanceState saved : stateFile.load()) {
            Instance instance;
            try {
                instance = instances.computeIfAbsent(saved.expr(), key -> new Instance(parse(key)));
            } catch (IllegalArgumentException e) {
                LOG.warn("not restoring instance '{}': {}", saved.expr(), e.getMessage());
                continue;
            }
            instance.horizon = Duration.ofSeconds(saved.horizon());
            instance.status = saved.status();
            instance.port = saved.port();
            if (saved.status() != InstanceStatus.STOP) {
                instance.counters = metered(instance);
            }
            if (saved.status() == InstanceStatus.START) {
                try {
                    serve(instance);
                    LOG.info("restored instance {} on port {}", saved.expr(), instance.port);
                    redirectRestored(instance);
                } catch (InstanceException e) {
                    instance.status = InstanceStatus.PAUSE;
                    LOG.warn("could not restore instance {}: {}; it stays paused", saved.expr(), e.getMessage());
                }
            }
        }
        save();
    }

    /** Asks for the redirect without waiting: the switch may not be reachable yet, and serving goes on. */
    private void redirectRestored(Instance instance) {
        try {
            redirector.redirect(instance.expression, redirector.resolve(instance.expression), instance.port, false);
        } catch (InstanceException e) {
            LOG.warn("instance {} serves on port {} without redirect: {}", instance.expression.canonical(),
                    instance.port, e.getMessage());
        }
    }

    /**
     * Creates or resumes an instance per expression and redirects its origin to it; returns their
     * states once the switch has confirmed the redirect rules.
     */
    public synchronized List<InstanceState> start(ExpressionList expressions, Duration horizon)
            throws InstanceException {
        List<Expression> targets = expressions.isAll() ? List.of(Expression.WILDCARD) : expressions.expressions();
        // Resolve every origin first, so an unknown host fails the command before anything changes.
        Map<Expression, List<Inet4Address>> origins = new LinkedHashMap<>();
        for (Expression expression : targets) {
            origins.put(expression, redirector.resolve(expression));
        }
        List<InstanceState> touched = new ArrayList<>();
        try {
            for (Expression expression : targets) {
                touched.add(start(expression, horizon, origins.get(expression)));
            }
        } finally {
            save();
        }
        return touched;
    }

    private InstanceState start(Expression expression, Duration horizon, List<Inet4Address> origins)
            throws InstanceException {
        Instance instance = instances.computeIfAbsent(expression.canonical(), key -> new Instance(expression));
        if (!instance.horizon.equals(horizon)) {
            // Applied in place: the handler reads it on every request, so the port, its open
            // connections and the stored content stay (stored responses get the new horizon too).
            LOG.info("instance {} horizon {} s -> {} s", expression.canonical(), instance.horizon.toSeconds(),
                    horizon.toSeconds());
            instance.horizon = horizon;
        }
        if (!instance.serving()) {
            if (instance.status == InstanceStatus.STOP) {
                instance.counters = metered(instance);
            }
            serve(instance);
        }
        instance.status = InstanceStatus.START;
        redirector.redirect(expression, origins, instance.port, true);
        return instance.state();
    }

    /** Stops serving, keeping content and port reservation; returns the touched instances. */
    public synchronized List<InstanceState> pause(ExpressionList expressions) throws InstanceException {
        List<InstanceState> touched = new ArrayList<>();
        for (Instance instance : select(expressions)) {
            release(instance);
            unserve(instance);
            if (instance.status == InstanceStatus.START) {
                instance.status = InstanceStatus.PAUSE;
            }
            touched.add(instance.state());
        }
        save();
        return touched;
    }

    /** Ends instances: port closed and freed, content deleted; returns the touched instances. */
    public synchronized List<InstanceState> stop(ExpressionList expressions) throws InstanceException {
        List<InstanceState> touched = new ArrayList<>();
        for (Instance instance : select(expressions)) {
            release(instance);
            unserve(instance);
            if (instance.port != 0) {
                ports.release(instance.port);
            }
            instance.port = 0;
            instance.status = InstanceStatus.STOP;
            instance.prefetcher = Optional.empty();
            instance.counters.meters().close();
            store.removeInstance(instance.expression.canonical());
            touched.add(instance.state());
        }
        save();
        return touched;
    }

    /**
     * Drops stored objects of the selected instances ({@code *}: every instance the node has):
     * every variant of each of {@code urls}, and everything under each of {@code prefixes};
     * returns how many. The instances are chosen under the manager's lock, the purge runs
     * outside it, so a long prefix purge holds up no other command or statistics report.
     *
     * @throws InstanceException if an expression names no instance on this node
     */
    public int purge(ExpressionList expressions, List<ResolvedUrl> urls, List<ResolvedUrl> prefixes)
            throws InstanceException {
        Set<String> names = new LinkedHashSet<>();
        synchronized (this) {
            for (Instance instance : select(expressions)) {
                names.add(instance.expression.canonical());
            }
        }
        return Purges.purge(store, names, urls, prefixes);
    }

    /** Every instance the node knows, in creation order. */
    public synchronized List<InstanceState> states() {
        return instances.values().stream().map(Instance::state).toList();
    }

    /** The live view of every instance, for statistics. */
    public synchronized List<InstanceView> views() {
        return instances.values().stream()
                .map(instance -> new InstanceView(instance.state(), instance.counters))
                .toList();
    }

    /**
     * The pre-fetcher of the most specific started or paused instance whose expression covers
     * {@code url} (a path prefix beats a host, a host beats {@code *}); empty when there is none, or
     * when that instance has not served since the node started and so has no pre-fetcher yet.
     */
    public synchronized Optional<Prefetcher> prefetcherFor(ResolvedUrl url) {
        return instances.values().stream()
                .filter(instance -> instance.status != InstanceStatus.STOP)
                .filter(instance -> instance.expression.covers(url.host(), url.port(), url.uri().getRawPath()))
                .max(Comparator.comparing((Instance instance) -> !instance.expression.isWildcard())
                        .thenComparing(instance -> instance.expression.pathPrefix().length()))
                .flatMap(instance -> instance.prefetcher);
    }

    private List<Instance> select(ExpressionList expressions) throws InstanceException {
        if (expressions.isAll()) {
            return List.copyOf(instances.values());
        }
        List<Instance> selected = new ArrayList<>();
        for (Expression expression : expressions.expressions()) {
            Instance instance = instances.get(expression.canonical());
            if (instance == null) {
                throw new InstanceException("no instance for expression '" + expression.canonical() + "' on this node");
            }
            selected.add(instance);
        }
        return selected;
    }

    /** Opens the instance's port (its old one if it still has it) and routes it to a new handler. */
    private void serve(Instance instance) throws InstanceException {
        if (instance.port == 0 || !ports.claimOrHeld(instance.port)) {
            OptionalInt port = ports.allocate();
            if (port.isEmpty()) {
                throw new InstanceException("no free port left in port_range for '" + instance.expression.canonical() + "'");
            }
            instance.port = port.getAsInt();
        }
        ServerConnector connector = connectors.create(server);
        connector.setHost(host);
        connector.setPort(instance.port);
        connector.setName("instance-" + instance.port);
        connector.addEventListener(instance.counters.meters().connections());
        try {
            instance.handler = handlers.create(instance.expression, instance::horizon, instance.counters);
            instance.prefetcher = instance.handler.prefetcher();
            instance.handler.handler().setServer(server);
            instance.handler.handler().start();
            router.route(instance.port, instance.expression.canonical(), instance.handler.handler());
            server.addConnector(connector);
            connector.start();
        } catch (Exception e) {
            router.unroute(instance.port);
            server.removeConnector(connector);
            stopQuietly(instance);
            throw new InstanceException("cannot serve '" + instance.expression.canonical() + "' on "
                    + host + ":" + instance.port + ": " + e.getMessage());
        }
        instance.connector = connector;
        LOG.info("instance {} serving on {}:{}", instance.expression.canonical(), host, instance.port);
    }

    /** Steers clients away from a serving instance, before its port closes. */
    private void release(Instance instance) {
        if (instance.serving()) {
            redirector.release(instance.expression, instance.port);
        }
    }

    private void unserve(Instance instance) {
        if (instance.connector == null) {
            return;
        }
        try {
            instance.connector.stop();
        } catch (Exception e) {
            LOG.warn("closing port {}: {}", instance.port, e.toString());
        }
        server.removeConnector(instance.connector);
        router.unroute(instance.port);
        instance.connector = null;
        stopQuietly(instance);
        LOG.info("instance {} closed port {}", instance.expression.canonical(), instance.port);
    }

    private static void stopQuietly(Instance instance) {
        if (instance.handler != null) {
            try {
                instance.handler.handler().stop();
            } catch (Exception e) {
                LOG.warn("stopping handler of {}: {}", instance.expression.canonical(), e.toString());
            }
            instance.handler = null;
        }
    }

    /** New counters for a (re)started instance, with its meters registered. */
    private InstanceCounters metered(Instance instance) {
        String expr = instance.expression.canonical();
        InstanceMeters instanceMeters = meters.forInstance(expr);
        InstanceCounters counters = new InstanceCounters(instanceMeters);
        instanceMeters.watch(expr, counters, store, () -> instance.status == InstanceStatus.START);
        return counters;
    }

    private void save() {
        try {
            stateFile.save(states());
        } catch (IOException e) {
            // Serving goes on; only a restart would forget this change.
            LOG.warn("cannot save the instance list: {}", e.toString());
        }
    }

    private static Expression parse(String canonical) {
        try {
            return Expression.parse(canonical);
        } catch (InvalidExpressionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Closes every port (instances keep their saved state for the next start) and stops the server. */
    @Override
    public synchronized void close() {
        instances.values().forEach(this::release);
        instances.values().forEach(this::unserve);
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the instance server: {}", e.toString());
        }
    }
}
