package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.SettingException;
import org.opencache.common.keys.ControllerLinkKeys;
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
import zmq.Msg;
import zmq.ZError;
import zmq.io.Metadata;

/**
 * The controller's ROUTER socket and the one thread that owns it (ZeroMQ sockets are not
 * thread-safe). The thread receives frames, decodes them and passes them on; other threads hand
 * it messages to send through an {@link Outbox}, which wakes it at once.
 *
 * <p>The socket is {@code ROUTER_MANDATORY}, so a message to a node that is not connected fails
 * at once ({@link Inbound#unroutable}) instead of vanishing.
 *
 * <p><b>Plain link</b> (no keys configured): {@code ROUTER_HANDOVER}, so a node that reconnects
 * with its identity (its uuid) takes it over from its dead connection; the sender of a message is
 * its identity. <b>CURVE</b> ({@code link_secret_key}): the socket is a CURVE server, a
 * {@link ZapHandler} admits only the authorized node keys, and the sender of a message is the key
 * its connection authenticated with (the {@code User-Id} ZeroMQ attaches to every message), never
 * an identity a peer chose. Nodes then set no identity: the router names each connection itself,
 * handover is off, and a message from a connection that did name itself is dropped, so no
 * connection can take over another's routing.
 */
final class RouterLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterLoop.class);
    /** A safety net only: the outbox wakes the thread for every message. */
    private static final long POLL_MILLIS = 1_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    /** Routing identities remembered with their key; far more than live connections. */
    private static final int MAX_ROUTES = 10_000;

    /** What the loop does with what it receives; called on the loop's thread, so keep it short. */
    interface Inbound {
        /**
         * A well-formed message.
         *
         * @param identity the routing identity of the connection it came on, to answer it
         * @param sender   who sent it: the node's uuid on a plain link, {@code curve:KEY} with CURVE
         */
        void received(byte[] identity, String sender, Message message);

        /** {@code message} could not be sent: no node with that identity is connected. */
        void unroutable(byte[] identity, Message message);
    }

    /** A message for the node with socket identity {@code identity}. */
    record Outgoing(byte[] identity, Message message) {
    }

    private final ZContext context;
    private final ZMQ.Socket router;
    private final Optional<ZapHandler> zap;
    private final ZMQ.Poller poller;
    private final Outbox<Outgoing> outbox = new Outbox<>();
    private final Inbound inbound;
    /** Wall-clock time is enough here: it only paces log lines. */
    private final NodeWarnings warnings = new NodeWarnings(log, Clock.systemUTC());
    private final String endpoint;
    private final Thread thread;
    private volatile boolean closing;
    /** Keys already warned about for naming their connections (loop thread only). */
    private final Set<String> unnamedWarned = new HashSet<>();
    /**
     * CURVE: the key each recent routing identity was first heard with (loop thread only). The
     * router never gives two connections one name, so a second key on a name means a peer forged
     * a name the router generates; its messages are dropped rather than let it redirect a route.
     */
    private final Map<String, String> routeOwners = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ROUTES;
        }
    };

    private RouterLoop(ZContext context, ZMQ.Socket router, Optional<ZapHandler> zap, String endpoint,
            Inbound inbound) {
        this.context = context;
        this.router = router;
        this.zap = zap;
        this.endpoint = endpoint;
        this.inbound = inbound;
        this.poller = context.createPoller(3);
        poller.register(router, ZMQ.Poller.POLLIN);
        poller.register(outbox.wakeChannel(), ZMQ.Poller.POLLIN);
        zap.ifPresent(handler -> poller.register(handler.socket(), ZMQ.Poller.POLLIN));
        this.thread = Thread.ofPlatform().daemon().name("opencache-node-link-io").unstarted(this::run);
    }

    /**
     * Binds {@code tcp://host:port}; {@link #start} starts receiving.
     *
     * @param keys CURVE: the controller's pair and the node keys it admits; empty for a plain link
     * @throws SettingException when the address cannot be bound: {@code notification_port = PORT:
     *                          address in use}, or why else
     */
    static RouterLoop bind(String host, int port, Optional<ControllerLinkKeys> keys, Inbound inbound)
            throws SettingException {
        String endpoint = LinkEndpoint.tcp(host, port);
        ZContext context = new ZContext(1);
        try {
            // The handler first: a CURVE server whose handler is not bound yet admits every key.
            Optional<ZapHandler> zap = keys.map(k -> new ZapHandler(context, k.authorized()));
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setRouterMandatory(true);
            router.setRouterHandover(keys.isEmpty());
            router.setLinger(0);
            router.setIPv6(LinkEndpoint.isIpv6(host));
            keys.ifPresent(k -> {
                router.setZAPDomain("opencache-link");
                router.setCurveServer(true);
                router.setCurvePublicKey(k.own().publicKey().bytes());
                router.setCurveSecretKey(k.own().secretKey().bytes());
            });
            router.bind(endpoint);
            return new RouterLoop(context, router, zap, endpoint, inbound);
        } catch (ZMQException e) {
            context.close();
            throw SettingException.listening(ConfigKey.NOTIFICATION_PORT, port, endpoint, bindReason(host, port, e), e);
        }
    }

    /**
     * Why a bind failed. jeromq reports every {@link java.net.BindException} as EADDRINUSE, an
     * address that is not this machine's too, so a plain socket on the same address says which.
     */
    private static String bindReason(String host, int port, ZMQException e) {
        if (e.getErrorCode() == ZError.EADDRINUSE) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException real) {
                return real.getMessage();
            }
        }
        return ZError.toString(e.getErrorCode());
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
                zap.ifPresent(ZapHandler::answer);
                receiveAll();
                outbox.drain(this::transmit);
            }
        } catch (ZMQException e) {
            if (!closing) {
                log.error("node link socket failed, nodes cannot reach this controller: {}", e.getMessage());
            }
        } finally {
            poller.close();
            zap.ifPresent(ZapHandler::close);
            context.close();
        }
    }

    private void receiveAll() {
        for (byte[] identity = router.recv(ZMQ.DONTWAIT); identity != null; identity = router.recv(ZMQ.DONTWAIT)) {
            if (!router.hasReceiveMore()) {
                warnings.warn(display(identity), "dropped an empty message from " + display(identity));
                continue;
            }
            Msg frame = router.recvMsg(0);
            if (router.hasReceiveMore()) {
                skipRest();
                warnings.warn(display(identity), "dropped a multi-part message from " + display(identity)
                        + ": the link sends one frame per message");
                continue;
            }
            Optional<String> sender = sender(identity, frame);
            if (sender.isEmpty()) {
                continue;
            }
            try {
                inbound.received(identity, sender.get(), MessageCodec.decode(frame.data()));
            } catch (MalformedMessageException e) {
                warnings.warn(display(identity), "dropped a malformed message from " + display(identity) + ": "
                        + e.getMessage());
            } catch (RuntimeException e) {
                log.error("failed to handle a message from {}", display(identity), e);
            }
        }
    }

    /**
     * Who sent {@code frame}: its identity on a plain link; with CURVE the key its connection
     * authenticated with, and nobody (the message is dropped) when the connection named itself,
     * since a name of its own choosing could be a name the router gave another node.
     */
    private Optional<String> sender(byte[] identity, Msg frame) {
        if (zap.isEmpty()) {
            return Optional.of(display(identity));
        }
        Metadata metadata = frame.getMetadata();
        String userId = metadata == null ? null : metadata.get(Metadata.USER_ID);
        if (userId == null || !userId.startsWith(ZapHandler.USER_ID_PREFIX)) {
            log.warn("dropped a message that carries no authenticated key (from {})", display(identity));
            return Optional.empty();
        }
        if (identity.length == 0 || identity[0] != 0) {
            if (unnamedWarned.add(userId)) {
                log.warn("dropped messages from {}: its connection set its own socket identity {}, which a "
                        + "CURVE link does not allow (is the node older than its controller?)", userId,
                        display(identity));
            }
            return Optional.empty();
        }
        String owner = routeOwners.putIfAbsent(display(identity), userId);
        if (owner != null && !owner.equals(userId)) {
            log.warn("dropped a message from {}: its connection's name {} belongs to {}", userId, display(identity),
                    owner);
            return Optional.empty();
        }
        return Optional.of(userId);
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

    /** A socket identity for logs: the node's uuid, or hex for one the router made up. */
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
            zap.ifPresent(ZapHandler::close);
            context.close();
        }
        outbox.close();
    }
}
