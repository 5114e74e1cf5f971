package org.opencache.node.http.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_connections_per_client}: counts the open connections of each client address across
 * every connector it listens on, and closes a new one at once when its address already has the
 * maximum (as nginx's {@code limit_conn}, without the 503: a client over its limit is not worth a
 * response). Jetty's {@code ConnectionLimit} counts all clients together, which lets one client
 * take every connection.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    // A closed end point no longer knows its remote address, so each connection's is kept here.
    private final ConcurrentHashMap<Connection, InetAddress> addresses = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(NanoTime.now() - LOG_INTERVAL_NANOS);

    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
            return;
        }
        InetAddress address = remote.getAddress();
        addresses.put(connection, address);
        // Counted even when refused: its onClosed takes it off again.
        int count = open.merge(address, 1, Integer::sum);
        if (count > max) {
            connection.getEndPoint().close();
            refused(address);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    // One line a minute at most, however many connections are refused: a client that opens them in
    // a loop must not fill the log.
    private void refused(InetAddress address) {
        long refused = refusedSinceLog.incrementAndGet();
        long last = lastLogNanos.get();
        if (NanoTime.since(last) >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, NanoTime.now())) {
            refusedSinceLog.addAndGet(-refused);
            LOG.warn("closed {} new connection(s) of clients that had max_connections_per_client ({}) open,"
                    + " e.g. {} (at most one such line a minute)", refused, max, address.getHostAddress());
        }
    }
}
