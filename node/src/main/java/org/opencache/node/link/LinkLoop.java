package org.opencache.node.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.Units;
import org.opencache.common.keys.NodeLinkKeys;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.LinkEndpoint;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.NodeRef;
import org.opencache.common.protocol.Outbox;
import org.opencache.common.protocol.RpcError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQException;

/**
 * The one thread that owns the node's socket ({@link DealerSocket}): says hello until the
 * controller answers, then keeps the session alive, and starts over when the controller goes away.
 *
 * <p><b>States.</b> <i>Saying hello</i>: a {@code hello} with the node's current instances, repeated
 * as {@link HelloSchedule} says while unanswered. <i>Connected</i>: a {@code keep_alive}
 * every {@code keep_alive_interval}. A keep-alive unanswered for twice that means the controller
 * is lost: the socket is recreated (its queues may hold stale messages for a dead peer) and the
 * node says hello again. An "unknown node" answer means the controller restarted: same socket,
 * hello again at once.
 *
 * <p>Nothing queues up for a controller that is not there: a hello that cannot go out is retried
 * later, with the instances of that later moment, instead of reaching a returning controller stale.
 *
 * <p><b>Logging.</b> Failures to reach the controller (hellos unanswered, refused or not sent; the
 * controller lost) are WARN lines as {@link FailureReports} allows: the first, then fewer and
 * fewer, down to one an hour. Connecting is one INFO line, saying how long it took after a failure.
 */
final class LinkLoop {
    private static final Logger log = LoggerFactory.getLogger(LinkLoop.class);
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(1);
    /** A safety net only: timers and the outbox wake the thread when there is work. */
    private static final long MAX_POLL_MILLIS = 1_000;
    private static final String VERSION = version();

    private final String uuid;
    private final String host;
    private final int nodePort;
    private final Supplier<List<InstanceState>> instances;
    private final Clock clock;
    private final Outbox<Message> outbox;
    private final Consumer<Message.Request> commands;
    private final String endpoint;
    private final boolean ipv6;
    private final Optional<NodeLinkKeys> keys;
    private final Thread thread;
    private final HelloSchedule hellos = new HelloSchedule();
    private final FailureReports reports = new FailureReports();
    private final Heartbeat heartbeat;

    private DealerSocket socket;
    private long lastId;
    private boolean everConnected;
    private volatile boolean connected;
    private volatile int nodeId;
    private volatile boolean stopping;

    /**
     * @param outbox   messages other threads want sent (command replies, notifications)
     * @param commands where requests from the controller go (the worker answers every one)
     */
    LinkLoop(NodeConfig config, String uuid, int nodePort, Supplier<List<InstanceState>> instances, Clock clock,
            Outbox<Message> outbox, Consumer<Message.Request> commands) {
        this.uuid = uuid;
        // What the controller shows in 'nodes': node_host may be a wildcard, which names no address.
        this.host = config.nodeAdvertiseHost();
        this.nodePort = nodePort;
        this.instances = instances;
        this.clock = clock;
        this.outbox = outbox;
        this.commands = commands;
        this.endpoint = LinkEndpoint.tcp(config.controllerHost(), config.notificationPort());
        this.ipv6 = LinkEndpoint.isIpv6(config.controllerHost());
        this.keys = config.linkKeys();
        this.heartbeat = new Heartbeat(config.keepAliveInterval());
        this.thread = Thread.ofPlatform().daemon().name("opencache-controller-link").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    boolean isConnected() {
        return connected;
    }

    /** The id the controller gave this node; kept while reconnecting, since it is stable for the uuid. */
    OptionalInt nodeId() {
        int id = nodeId;
        return id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Ends the thread (after a goodbye of at most a second, if connected) and waits for it. */
    void stop() {
        stopping = true;
        outbox.wake();
        try {
            thread.join(GOODBYE_WAIT.plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            socket = new DealerSocket(endpoint, ipv6, uuid, keys, outbox.wakeChannel());
            sayHelloAgain();
            while (!stopping) {
                try {
                    socket.poll(pollMillis());
                    receiveAll();
                    outbox.drain(this::transmit);
                    onTimers();
                } catch (ZMQException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.error("controller link: unexpected failure, carrying on", e);
                }
            }
            if (connected) {
                sayGoodbye();
            }
        } catch (ZMQException e) {
            log.error("controller link socket failed; this node no longer reports to the controller: {}",
                    e.getMessage());
        } finally {
            connected = false;
            if (socket != null) {
                socket.close();
            }
        }
    }

    private long pollMillis() {
        Instant deadline = connected ? heartbeat.nextDeadline() : hellos.next();
        long millis = Duration.between(clock.instant(), deadline).toMillis();
        return Math.max(0, Math.min(millis + 1, MAX_POLL_MILLIS));
    }

    private void receiveAll() {
        for (byte[] frame = socket.receive(); frame != null; frame = socket.receive()) {
            try {
                onMessage(MessageCodec.decode(frame));
            } catch (MalformedMessageException e) {
                log.warn("dropped a malformed message from the controller: {}", e.getMessage());
            }
        }
    }

    private void onMessage(Message message) throws MalformedMessageException {
        switch (message) {
            case Message.Request request -> commands.accept(request);
            case Message.Notification notification ->
                    log.debug("ignored notification '{}' from the controller", notification.method());
            case Message.Response response -> onResponse(response);
        }
    }

    private void onResponse(Message.Response response) throws MalformedMessageException {
        if (hellos.isHello(response.id())) {
            switch (response) {
                case Message.Result result -> connectedAs(MessageCodec.read(result.result(), NodeRef.class,
                        "hello result").nodeId());
                case Message.Failure failure -> {
                    if (reports.failed(clock.instant())) {
                        log.warn("the controller at {} refused hello: {}; still trying ({})", endpoint,
                                failure.error().describe(), nextReport());
                    }
                }
            }
        } else if (heartbeat.answered(response.id())) {
            if (response instanceof Message.Failure failure) {
                if (failure.error().code() == RpcError.UNKNOWN_NODE) {
                    reports.failed(clock.instant()); // the first failure of a run: always a line
                    log.warn("the controller at {} does not know this node (it restarted?); saying hello again",
                            endpoint);
                    sayHelloAgain();
                } else {
                    log.warn("the controller at {} answered keep_alive with an error: {}", endpoint,
                            failure.error().describe());
                }
            }
        } else {
            log.debug("ignored an answer to request {}: not waiting for it", response.id());
        }
    }

    private void connectedAs(int id) {
        hellos.answered();
        nodeId = id;
        connected = true;
        Instant now = clock.instant();
        heartbeat.start(now);
        log.info("{} the controller at {} as node {}{}", everConnected ? "reconnected to" : "connected to", endpoint,
                id, reports.ended(now).filter(failing -> failing.compareTo(Duration.ofSeconds(1)) >= 0)
                        .map(failing -> " after " + seconds(failing) + " of trying").orElse(""));
        everConnected = true;
    }

    /** For a failure's line: when the next one comes at the earliest. */
    private String nextReport() {
        return "next report in " + seconds(reports.gap()) + " at the earliest";
    }

    private static String seconds(Duration duration) {
        return Units.formatDuration(duration.truncatedTo(ChronoUnit.SECONDS));
    }

    private void onTimers() {
        Instant now = clock.instant();
        if (!connected) {
            if (hellos.due(now)) {
                sendHello(now);
            }
        } else if (heartbeat.lost(now)) {
            reports.failed(now); // the first failure of a run: always a line
            log.warn("lost the controller at {}: no answer to keep_alive within {}; reconnecting", endpoint,
                    Units.formatDuration(heartbeat.patience()));
            socket.reopen();
            sayHelloAgain();
        } else if (heartbeat.due(now)) {
            long id = ++lastId;
            heartbeat.sent(id, now);
            transmit(new Message.Request(id, Methods.KEEP_ALIVE, MessageCodec.params(new NodeRef(nodeId))));
        }
    }

    /** Leaves the connected state and says hello at once, then with back-off. */
    private void sayHelloAgain() {
        connected = false;
        hellos.restart(clock.instant());
    }

    private void sendHello(Instant now) {
        Hello hello;
        try {
            hello = new Hello(uuid, host, nodePort, VERSION, instances.get());
        } catch (RuntimeException e) {
            // Counted as an attempt, so that a failing supplier is asked again only after a back-off.
            Duration delay = hellos.sent(++lastId, now);
            log.error("cannot list this node's instances for hello; trying again in {}",
                    Units.formatDuration(delay), e);
            return;
        }
        long id = ++lastId;
        if (!transmit(new Message.Request(id, Methods.HELLO, MessageCodec.params(hello)))) {
            hellos.unsent(now);
            if (reports.failed(now)) {
                log.warn("the controller at {} is not reachable{}; saying hello as soon as it is ({})", endpoint,
                        keys.map(k -> " (or the CURVE handshake fails: is this node's key " + k.own().publicKey()
                                + " in the controller's link_authorized_keys, and controller_public_key its link.pub?)")
                                .orElse(""), nextReport());
            }
            return;
        }
        hellos.sent(id, now);
        // The hello before this one went unanswered.
        if (hellos.attempts() > 1 && reports.failed(now)) {
            log.warn("no answer from the controller at {}; said hello again (attempt {}; {})", endpoint,
                    hellos.attempts(), nextReport());
        }
    }

    /** Sends without waiting; false when the message could not be queued (no controller connected). */
    private boolean transmit(Message message) {
        if (socket.send(MessageCodec.encode(message))) {
            return true;
        }
        log.debug("not sent, no connection to the controller at {}: {}", endpoint, message);
        return false;
    }

    private void sayGoodbye() {
        long id = ++lastId;
        if (!transmit(new Message.Request(id, Methods.GOODBYE, MessageCodec.params(new NodeRef(nodeId))))) {
            return;
        }
        Instant deadline = clock.instant().plus(GOODBYE_WAIT);
        for (long wait = GOODBYE_WAIT.toMillis(); wait > 0;
                wait = Duration.between(clock.instant(), deadline).toMillis()) {
            socket.poll(wait);
            for (byte[] frame = socket.receive(); frame != null; frame = socket.receive()) {
                if (isAnswerTo(frame, id)) {
                    log.info("said goodbye to the controller at {}", endpoint);
                    return;
                }
            }
            outbox.drain(ignored -> { }); // no more replies or reports: we are leaving
        }
        log.info("the controller at {} did not answer goodbye within {}", endpoint,
                Units.formatDuration(GOODBYE_WAIT));
    }

    private static boolean isAnswerTo(byte[] frame, long id) {
        try {
            return MessageCodec.decode(frame) instanceof Message.Response response && response.id() == id;
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    private static String version() {
        String version = LinkLoop.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
