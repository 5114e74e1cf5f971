package org.opencache.node.link;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Optional;
import org.opencache.common.keys.NodeLinkKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The node's DEALER, connected to the controller, with a poller that also watches a wake-up
 * channel. Used by the link thread only; {@link #reopen()} replaces the socket when the
 * controller is lost, since the old one's queues may hold messages for a dead peer.
 *
 * <p>{@code IMMEDIATE}: a message is queued only on a completed connection, so nothing piles up
 * for a controller that is not there, and {@link #send} says whether it went out. Linger 0:
 * closing never waits for a peer.
 *
 * <p>With CURVE keys the socket is a CURVE client that accepts only the controller's key, and it
 * sets no identity: the controller knows the node by its key and names the connection itself
 * (docs/design.md §5). Without keys its identity is the node's uuid.
 */
final class DealerSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DealerSocket.class);
    /**
     * How long a new connection may take to complete its ZeroMQ handshake before it is dropped and
     * made again. JeroMQ 0.6.0 leaves a few in a hundred fresh outgoing connections stuck before the
     * handshake (a selector-key race on the connect hand-off, zeromq/jeromq#1022); its default of
     * 30 s would keep a node from its controller that long. A second covers handshakes over any
     * link with a round trip under ~400 ms.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    private final ZContext context = new ZContext(1);
    private final String endpoint;
    private final boolean ipv6;
    private final byte[] identity;
    private final Optional<NodeLinkKeys> keys;
    private final SelectableChannel wakeChannel;
    private ZMQ.Socket dealer;
    private ZMQ.Poller poller;

    /**
     * Connects to {@code endpoint} (the connection completes in the background).
     *
     * @param identity    the socket identity on a plain link: the node's uuid
     * @param keys        CURVE: this node's pair and the controller's public key; empty for a plain link
     * @param wakeChannel polled beside the socket, so that other threads can wake the owner
     */
    DealerSocket(String endpoint, boolean ipv6, String identity, Optional<NodeLinkKeys> keys,
            SelectableChannel wakeChannel) {
        this.endpoint = endpoint;
        this.ipv6 = ipv6;
        this.identity = identity.getBytes(UTF_8);
        this.keys = keys;
        this.wakeChannel = wakeChannel;
        open();
    }

    private void open() {
        dealer = context.createSocket(SocketType.DEALER);
        if (keys.isPresent()) {
            dealer.setCurveServerKey(keys.get().controller().bytes());
            dealer.setCurvePublicKey(keys.get().own().publicKey().bytes());
            dealer.setCurveSecretKey(keys.get().own().secretKey().bytes());
        } else {
            dealer.setIdentity(identity);
        }
        dealer.setLinger(0);
        dealer.setImmediate(true);
        dealer.setHandshakeIvl((int) HANDSHAKE_TIMEOUT.toMillis());
        dealer.setIPv6(ipv6);
        dealer.connect(endpoint);
        poller = context.createPoller(2);
        poller.register(dealer, ZMQ.Poller.POLLIN);
        poller.register(wakeChannel, ZMQ.Poller.POLLIN);
    }

    /** Closes the socket and connects a new one. */
    void reopen() {
        poller.close();
        dealer.close();
        open();
    }

    /** Waits up to {@code millis} for a frame or a wake-up. */
    void poll(long millis) {
        poller.poll(millis);
    }

    /** The next single-frame message, or null when none is waiting; multi-part messages are dropped. */
    byte[] receive() {
        for (byte[] frame = dealer.recv(ZMQ.DONTWAIT); frame != null; frame = dealer.recv(ZMQ.DONTWAIT)) {
            if (!dealer.hasReceiveMore()) {
                return frame;
            }
            while (dealer.hasReceiveMore()) {
                dealer.recv(0);
            }
            log.warn("dropped a multi-part message from the controller: the link sends one frame per message");
        }
        return null;
    }

    /** Sends one frame without waiting; false when it could not be queued (no controller connected). */
    boolean send(byte[] frame) {
        try {
            return dealer.send(frame, ZMQ.DONTWAIT);
        } catch (ZMQException e) {
            log.debug("send to {} failed: {}", endpoint, e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        poller.close();
        context.close();
    }
}
