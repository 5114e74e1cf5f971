package org.opencache.node.http.serve;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code client_header_timeout}: closes a connection whose client has not sent a whole request
 * line and header section within the timeout, counted from the request's first byte (from the
 * connection's opening for its first request), as nginx's {@code client_header_timeout}. Jetty's
 * idle timeout alone starts again at every byte, so a client sending one byte a second would hold
 * a connection for ever.
 *
 * <p>Each connection is watched by a task on the connector's scheduler that reads the state of
 * the connection's request parser: while a head is being received it sleeps until that head's
 * deadline; otherwise (a request being handled, or an idle keep-alive connection, which the idle
 * timeout bounds) it looks again after half the timeout, so the next head is seen well before its
 * deadline. Jetty's {@code HttpConnection} is internal API; it is the only place that knows when a
 * request began to arrive ({@link HttpParser#getBeginNanoTime()}).
 */
final class HeaderDeadline implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final Duration timeout;
    private final long timeoutNanos;

    HeaderDeadline(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            new Watch(http, NanoTime.now()).after(timeoutNanos);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        // The watch sees the closed end point and stops.
    }

    /** The task that watches one connection. */
    private final class Watch implements Runnable {
        private final HttpConnection http;
        private final long openedNanos;

        Watch(HttpConnection http, long openedNanos) {
            this.http = http;
            this.openedNanos = openedNanos;
        }

        void after(long nanos) {
            http.getConnector().getScheduler().schedule(this, nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (!http.getEndPoint().isOpen()) {
                return;
            }
            long begun = headBegun(http.getParser());
            if (begun == Long.MIN_VALUE) {
                after(timeoutNanos / 2);
                return;
            }
            long left = timeoutNanos - NanoTime.since(begun);
            if (left > 0) {
                after(left);
                return;
            }
            LOG.debug("closing {}: no whole request head within client_header_timeout ({})",
                    http.getEndPoint().getRemoteSocketAddress(), timeout);
            http.getEndPoint().close(new TimeoutException(
                    "no whole request head within client_header_timeout (" + timeout.toMillis() + " ms)"));
        }

        // When the head being received began, or MIN_VALUE when none is (the state is read
        // first: it is volatile, and the parser sets the begin time before leaving START).
        private long headBegun(HttpParser parser) {
            if (parser.isStart()) {
                // Nothing of a request yet: a new connection's first one is due; a kept-alive
                // connection waits for its next under the idle timeout.
                return http.getMessagesIn() == 0 ? openedNanos : Long.MIN_VALUE;
            }
            return parser.inHeaderState() ? parser.getBeginNanoTime() : Long.MIN_VALUE;
        }
    }
}
