package org.opencache.node.openflow;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencache.common.expr.Expression;
import org.opencache.node.instance.InstanceException;
import org.opencache.node.instance.Redirector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the switch's redirect rules equal to the node's desired state (docs/design.md §7): one
 * {@link Redirect} per serving instance, pushed when the instance starts, re-sent every third
 * of the lease so the switch's hard timeout never fires while the node lives, re-pushed in full
 * on every reconnect ({@link SwitchSession}), and deleted by cookie on pause, stop and shutdown.
 * If the node dies, the rules expire within a lease and clients reach the origin (fail open).
 *
 * <p>{@code *} steers all TCP/80 to the node's MAC unchanged and lets the node host's kernel
 * hand it to the instance ({@link Interception}); the kernel's connection tracking restores the
 * origin's address on the way back, which stateless switch rules cannot.
 */
public final class RedirectService implements Redirector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedirectService.class);
    private static final Duration ECHO_INTERVAL = Duration.ofSeconds(2);

    private final String switchName;
    private final RedirectRules rules;
    private final long nodeCookie;
    private final Duration confirmTimeout;
    private final Map<Integer, Redirect> desired = new ConcurrentHashMap<>();
    /**
     * Held while the desired rules change and their message is queued, and while the lease
     * refresher snapshots them and queues theirs: otherwise a refresh that read a rule just before
     * a pause removed it could reach the switch after the pause's delete and put the rule back.
     */
    private final Object changes = new Object();
    private final SwitchSession session;
    private final ScheduledExecutorService leases;
    private final Interception interception;

    /**
     * Starts the switch session and the lease refresher.
     *
     * @param switchAddress  {@code tcp:HOST:PORT}
     * @param nodeUuid       names this node's rules (cookie)
     * @param facing         where the instances listen
     * @param lease          {@code redirect_lease}, the rules' hard timeout
     * @param confirmTimeout how long {@code start}, {@code pause} and {@code stop} wait for a barrier
     */
    public RedirectService(String switchAddress, String nodeUuid, SwitchFacing facing, Duration lease,
                           Duration confirmTimeout) {
        warmUp();
        this.switchName = switchAddress;
        this.nodeCookie = RedirectCookie.node(nodeUuid);
        this.rules = new RedirectRules(nodeCookie, facing.address(), facing.mac(),
                (int) Math.max(1, Math.min(0xffff, lease.toSeconds())));
        this.confirmTimeout = confirmTimeout;
        this.interception = new Interception(facing.iface());
        this.session = new SwitchSession(socketAddress(switchAddress), nodeCookie, this::allRules, ECHO_INTERVAL);
        this.leases = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("redirect-lease").factory());
        long refresh = Math.max(200, lease.toMillis() / 3);
        leases.scheduleAtFixedRate(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
        session.start();
        LOG.info("redirecting through switch {} for node {} ({}), lease {} s", switchAddress, facing.address().getHostAddress(),
                facing.mac(), lease.toSeconds());
    }

    @Override
    public List<Inet4Address> resolve(Expression expression) throws InstanceException {
        if (expression.isWildcard()) {
            return List.of();
        }
        List<Inet4Address> addresses = new ArrayList<>();
        try {
            for (InetAddress address : InetAddress.getAllByName(expression.host())) {
                if (address instanceof Inet4Address ipv4 && !addresses.contains(ipv4)) {
                    addresses.add(ipv4);
                }
            }
        } catch (UnknownHostException e) {
            throw new InstanceException("cannot redirect '" + expression.canonical() + "': origin host '"
                    + expression.host() + "' does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new InstanceException("cannot redirect '" + expression.canonical() + "': origin host '"
                    + expression.host() + "' has no IPv4 address (redirect rules are IPv4 only)");
        }
        return addresses;
    }

    @Override
    public void redirect(Expression expression, List<Inet4Address> origins, int port, boolean await)
            throws InstanceException {
        if (expression.isWildcard()) {
            try {
                interception.add(port);
            } catch (java.io.IOException e) {
                throw new InstanceException("cannot redirect '*': " + e.getMessage());
            }
        }
        Redirect redirect = new Redirect(expression.canonical(), origins, expression.port(), port);
        long started = System.nanoTime();
        List<RedirectRule> instanceRules = rules.rules(redirect);
        CompletableFuture<Void> confirmed;
        synchronized (changes) {
            desired.put(port, redirect);
            confirmed = session.add(instanceRules);
        }
        if (!await) {
            return;
        }
        try {
            confirmed.get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("instance {}: {} redirect rules confirmed by switch {} in {} ms", expression.canonical(),
                    instanceRules.size(), switchName, (System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            throw new InstanceException("redirect rules for '" + expression.canonical() + "' not confirmed by switch "
                    + switchName + " within " + confirmTimeout.toMillis() + " ms" + (session.isConnected() ? ""
                    : " (not connected; they will be installed when it is)"));
        } catch (ExecutionException e) {
            throw new InstanceException("redirect rules for '" + expression.canonical() + "': "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstanceException("interrupted while installing redirect rules for '" + expression.canonical() + "'");
        }
    }

    @Override
    public void release(Expression expression, int port) {
        Redirect redirect;
        CompletableFuture<Void> deleted;
        synchronized (changes) {
            redirect = desired.remove(port);
            if (redirect == null) {
                return;
            }
            deleted = session.delete(rules.cookie(redirect), RedirectCookie.EXACT_MASK);
        }
        await("removing redirect of " + expression.canonical(), deleted);
        if (redirect.everyHost()) {
            interception.remove(port);
        }
    }

    /** Every rule the switch must hold now. */
    private Collection<RedirectRule> allRules() {
        List<RedirectRule> all = new ArrayList<>();
        desired.values().forEach(redirect -> all.addAll(rules.rules(redirect)));
        return all;
    }

    /** Re-sends every rule: an ADD over an existing rule restarts its hard timeout. */
    private void refresh() {
        CompletableFuture<Void> refreshed;
        synchronized (changes) {
            if (desired.isEmpty() || !session.isConnected()) {
                return;
            }
            refreshed = session.add(List.copyOf(allRules()));
        }
        refreshed.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("refreshing redirect leases on switch {}: {}", switchName, failure.getMessage());
            }
        });
    }

    private void await(String what, java.util.concurrent.Future<Void> confirmed) {
        try {
            confirmed.get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Not fatal: a lost session reconciles on reconnect, and rules expire with their lease.
            LOG.warn("{} on switch {}: not confirmed ({})", what, switchName, e.getCause() == null ? "timeout"
                    : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetSocketAddress socketAddress(String address) {
        int colon = address.lastIndexOf(':');
        return new InetSocketAddress(address.substring("tcp:".length(), colon),
                Integer.parseInt(address.substring(colon + 1)));
    }

    /** Loads and runs openflowj's encoder and decoder once, so the first {@code start} is not slow. */
    private static void warmUp() {
        RedirectRule rule = new RedirectRule("warm-up", 0, 1, 1,
                new RedirectRule.Match(null, null, 0, 80), new RedirectRule.Rewrite("02:00:00:00:00:01", null, null, 0, 1));
        FlowCodec.roundTrip(FlowMods.add(rule, 0));
        FlowCodec.roundTrip(FlowMods.deleteByCookie(0, -1, 0));
    }

    /** Deletes this node's rules (waiting for the barrier) and ends the session. */
    @Override
    public void close() {
        leases.shutdownNow();
        desired.values().stream().filter(Redirect::everyHost)
                .forEach(redirect -> interception.remove(redirect.instancePort()));
        desired.clear();
        if (session.isConnected()) {
            await("removing this node's rules", session.delete(nodeCookie, RedirectCookie.NODE_MASK));
        }
        session.close();
    }
}
