package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import org.opencache.common.protocol.LinkEndpoint;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The controller's ROUTER socket and the one thread that owns it (ZeroMQ sockets are not
 * thread-safe). The thread receives frames, decodes them and passes them on; other threads hand
 * it messages to send through an {@link Outbox}, which wakes it at once.
 *
 * <p>The socket is {@code ROUTER_MANDATORY}, so a message to a node that is not connected fails
 * at once ({@link Inbound#unroutable}) instead of vanishing, and {@code ROUTER_HANDOVER}, so a
 * node that reconnects with its identity (its uuid) takes it over from its dead connection.
 */
final class RouterLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterLoop.class);
    /** A safety net only: the outbox wakes the thread for every message. */
    private static final long POLL_MILLIS = 1_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    /** What the loop does with what it receives; called on the loop's thread, so keep it short. */
    interface Inbound {
        /** A well-formed message from the node whose socket identity is {@code identity}. */
        void received(byte[] identity, Message message);

        /** {@code message} could not be sent: no node with that identity is connected. */
        void unroutable(byte[] identity, Message message);
    }

    /** A message for the node with socket identity {@code identity}. */
    record Outgoing(byte[] identity, Message message) {
    }

    private final ZContext context;
    private final ZMQ.Socket router;
    private final ZMQ.Poller poller;
    private final Outbox<Outgoing> outbox = new Outbox<>();
    private final Inbound inbound;
    /** Wall-clock time is enough here: it only paces log lines. */
    private final NodeWarnings warnings = new NodeWarnings(log, Clock.systemUTC());
    private final String endpoint;
    private final Thread thread;
    private volatile boolean closing;

    private RouterLoop(ZContext context, ZMQ.Socket router, String endpoint, Inbound inbound) {
        this.context = context;
        this.router = router;
        this.endpoint = endpoint;
        this.inbound = inbound;
        this.poller = context.createPoller(2);
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(outbox.wakeChannel(), ZMQ.Poller.POLLIN);
        this.thread = Thread.ofPlatform().daemon().name("opencache-node-link-io").unstarted(this::run);
    }

    /**
     * Binds {@code tcp://host:port}; {@link #start} starts receiving.
     *
     * @throws IllegalStateException when the address cannot be bound, saying why
     */
    static RouterLoop bind(String host, int port, Inbound inbound) {
        String endpoint = LinkEndpoint.tcp(host, port);
        ZContext context = new ZContext(1);
        try {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setRouterMandatory(true);
            router.setRouterHandover(true);
            router.setLinger(0);
            router.setIPv6(LinkEndpoint.isIpv6(host));
            router.bind(endpoint);
            return new RouterLoop(context, router, endpoint, inbound);
        } catch (ZMQException e) {
            context.close();
            throw new IllegalStateException("cannot listen for nodes on " + endpoint + " (notification_port): "
                    + e.getMessage(), e);
        }
    }

    /** Starts the thread; from now on {@code inbound} is called. */
    void start() {
        thread.start();
    }

    /** The bound address, e.g. {@code tcp://127.0.0.1:50001}. */
    String endpoint() {
        return endpoint;
    }

    /** Queues a message for the loop to send; false when the loop is closed. */
    boolean send(Outgoing outgoing) {
        return outbox.offer(outgoing);
    }

    private void run() {
        try {
            while (!closing) {
                poller.poll(POLL_MILLIS);
                receiveAll();
                outbox.drain(this::transmit);
            }
        } catch (ZMQException e) {
            if (!closing) {
                log.error("node link socket failed, nodes cannot reach this controller: {}", e.getMessage());
            }
        } finally {
            poller.close();
            context.close();
        }
    }

    private void receiveAll() {
        for (byte[] identity = router.recv(ZMQ.DONTWAIT); identity != null; identity = router.recv(ZMQ.DONTWAIT)) {
            if (!router.hasReceiveMore()) {
                warnings.warn(display(identity), "dropped an empty message from " + display(identity));
                continue;
            }
            byte[] frame = router.recv(0);
            if (router.hasReceiveMore()) {
                skipRest();
                warnings.warn(display(identity), "dropped a multi-part message from " + display(identity)
                        + ": the link sends one frame per message");
                continue;
            }
            try {
                inbound.received(identity, MessageCodec.decode(frame));
            } catch (MalformedMessageException e) {
                warnings.warn(display(identity), "dropped a malformed message from " + display(identity) + ": "
                        + e.getMessage());
            } catch (RuntimeException e) {
                log.error("failed to handle a message from {}", display(identity), e);
            }
        }
    }

    private void skipRest() {
        while (router.hasReceiveMore()) {
            router.recv(0);
        }
    }

    private void transmit(Outgoing outgoing) {
        boolean sent;
        try {
            // Both frames without waiting: a node that does not read must not stall the others.
            sent = router.send(outgoing.identity(), ZMQ.SNDMORE | ZMQ.DONTWAIT)
                    && router.send(MessageCodec.encode(outgoing.message()), ZMQ.DONTWAIT);
        } catch (ZMQException e) {
            sent = false; // EHOSTUNREACH: no such identity connected (ROUTER_MANDATORY)
        }
        if (!sent) {
            inbound.unroutable(outgoing.identity(), outgoing.message());
        }
    }

    /** A socket identity for logs: the node's uuid, or hex for one ZeroMQ made up. */
    static String display(byte[] identity) {
        boolean printable = identity.length > 0 && identity[0] != 0;
        for (byte b : identity) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        if (printable) {
            return new String(identity, UTF_8);
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : identity) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** Stops the thread and closes the socket; queued messages are dropped. */
    @Override
    public void close() {
        closing = true;
        if (thread.isAlive()) {
            outbox.wake();
            try {
                thread.join(JOIN_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            poller.close();
            context.close();
        }
        outbox.close();
    }
}
