package org.opencache.node.http.origin;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own addresses, which no instance may fetch from: {@code node_host},
 * {@code node_advertise_host} (which may be an address of a NAT in front of the node, reaching
 * it again) and the addresses of every interface of the machine (of the network namespace the node runs in).
 * Interfaces come and go (DHCP, VPNs), so the set is read again when it is more than
 * {@link #REFRESH} old, at most once per new origin connection.
 */
public final class NodeAddresses implements Supplier<Set<InetAddress>> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAddresses.class);
    static final Duration REFRESH = Duration.ofSeconds(10);

    private final List<String> hosts;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private record Snapshot(Set<InetAddress> addresses, Instant taken) {
    }

    /**
     * @param hosts {@code node_host} and {@code node_advertise_host}: addresses, or names resolved
     *              with each refresh
     * @param clock when the set was read
     */
    public NodeAddresses(List<String> hosts, Clock clock) {
        this.hosts = List.copyOf(hosts);
        this.clock = clock;
    }

    /** The addresses of one configured host ({@code node_host}) and the interfaces. */
    public NodeAddresses(String nodeHost, Clock clock) {
        this(List.of(nodeHost), clock);
    }

    /** The addresses now, read again when the last reading is older than {@link #REFRESH}. */
    @Override
    public Set<InetAddress> get() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.taken().plus(REFRESH))) {
            current = new Snapshot(read(), now);
            snapshot = current;
        }
        return current.addresses();
    }

    private Set<InetAddress> read() {
        Set<InetAddress> addresses = new HashSet<>();
        for (String host : hosts) {
            try {
                Collections.addAll(addresses, InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                LOG.warn("{} does not resolve; its addresses are not among those instances refuse", host);
            }
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            LOG.warn("cannot list the network interfaces ({}); only node_host counts as the node's address", e.toString());
        }
        return Set.copyOf(addresses);
    }
}
