package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.opencache.common.config.Units;
import org.opencache.common.protocol.Alert;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.NodeRef;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.StatReport;
import org.opencache.controller.nodes.NodeSessions.Session;
import org.opencache.controller.state.AlertRecord;
import org.opencache.controller.state.ControllerState;
import org.opencache.controller.state.DatabaseUnavailableException;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.NodeStatus;
import org.opencache.controller.state.StatRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller does with the messages nodes send it: {@code hello} registers the node and
 * replaces the controller's record of its instances with the ones it announces (the node is the
 * source of truth for what it runs); {@code keep_alive}, {@code stat} and {@code alert} are
 * recorded; {@code goodbye} marks the node down.
 *
 * <p>Runs on the link's single handler thread, never on the socket's I/O thread: every message
 * costs database writes, which may wait for an unreachable database. The exception is
 * {@code keep_alive}, answered on the I/O thread from memory (its database write is queued to the
 * handler thread): a slow or absent database must not make nodes believe the controller is gone.
 */
final class NodeMessageHandler {
    private static final Logger log = LoggerFactory.getLogger(NodeMessageHandler.class);

    private final ControllerState state;
    private final NodeSessions sessions;
    private final Clock clock;
    private final Consumer<Runnable> handlerThread;
    private final NodeWarnings warnings;
    private final boolean curve;

    /**
     * A handler recording into {@code state}.
     *
     * @param handlerThread runs database writes that need not delay an answer
     * @param curve         whether senders are authenticated keys ({@code curve:KEY}) rather than uuids
     */
    NodeMessageHandler(ControllerState state, NodeSessions sessions, Clock clock, Consumer<Runnable> handlerThread,
            boolean curve) {
        this.state = state;
        this.sessions = sessions;
        this.clock = clock;
        this.handlerThread = handlerThread;
        this.warnings = new NodeWarnings(log, clock);
        this.curve = curve;
    }

    /** A request refused with a precise error. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient RpcError error;

        Refusal(RpcError error) {
            super(error.describe(), null, false, false);
            this.error = error;
        }
    }

    /**
     * The answer to a request from {@code uuid}, the sender as {@link RouterLoop.Inbound#received}
     * names it (the node's uuid, or {@code curve:KEY}), which came on the connection {@code identity}.
     */
    Message.Response answer(String uuid, byte[] identity, Message.Request request) {
        try {
            JsonNode result = switch (request.method()) {
                case Methods.HELLO -> hello(uuid, identity,
                        MessageCodec.read(request.params(), Hello.class, "hello params"));
                case Methods.KEEP_ALIVE -> keepAlive(uuid);
                case Methods.GOODBYE -> goodbye(uuid, request);
                default -> throw new Refusal(RpcError.of(RpcError.METHOD_NOT_FOUND, "Method not found", "'"
                        + request.method() + "' is not a node-to-controller request (hello, keep_alive, goodbye)"));
            };
            return new Message.Result(request.id(), result);
        } catch (MalformedMessageException e) {
            warnings.warn(uuid, "refused '" + request.method() + "' from " + uuid + ": " + e.getMessage());
            return new Message.Failure(request.id(), RpcError.invalidParams(e.getMessage()));
        } catch (Refusal e) {
            return new Message.Failure(request.id(), e.error);
        } catch (DatabaseUnavailableException e) {
            log.warn("cannot answer '{}' from {}: database unavailable", request.method(), uuid);
            return new Message.Failure(request.id(), RpcError.internal("database unavailable"));
        } catch (RuntimeException e) {
            log.error("failed to answer '{}' from {}", request.method(), uuid, e);
            return new Message.Failure(request.id(), RpcError.internal(e.toString()));
        }
    }

    /** Records a notification from the sender {@code uuid}; nobody is answered. */
    void accept(String uuid, Message.Notification notification) {
        Optional<Session> session = sessions.bySender(uuid);
        if (session.isEmpty()) {
            // It will learn it must say hello from the reply to its next keep_alive.
            log.debug("ignored '{}' from {}: it has not said hello to this controller", notification.method(), uuid);
            return;
        }
        try {
            switch (notification.method()) {
                case Methods.STAT -> stat(session.get(),
                        MessageCodec.read(notification.params(), StatReport.class, "stat params"));
                case Methods.ALERT -> alert(session.get(),
                        MessageCodec.read(notification.params(), Alert.class, "alert params"));
                default -> log.warn("ignored unknown notification '{}' from {}", notification.method(), session.get());
            }
        } catch (MalformedMessageException e) {
            // Dropped whole, before anything is recorded: a report with one forged entry is not trusted for the others.
            warnings.warn(uuid, "dropped '" + notification.method() + "' from " + session.get() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not record '{}' from {}: {}", notification.method(), session.get(), e.getMessage());
        }
    }

    /**
     * Registers the node under its sender: on a plain link the uuid, which must be the socket
     * identity; with CURVE its authenticated key, so that the key and nothing else decides which
     * node it is (the uuid it announces is then only logged: anyone can read a uuid).
     */
    private JsonNode hello(String uuid, byte[] identity, Hello hello) throws Refusal {
        if (!curve && !hello.uuid().equals(uuid)) {
            throw new Refusal(RpcError.invalidParams("hello: 'uuid' " + hello.uuid()
                    + " differs from the socket identity " + uuid + " (set the socket identity to the uuid)"));
        }
        Instant now = clock.instant();
        int nodeId = state.registerNode(uuid, hello.host(), hello.nodePort(), hello.version(), now).nodeId();
        replaceInstances(nodeId, hello.instances(), now);
        boolean reconnect = sessions.bySender(uuid).isPresent();
        // Opened last: commands reach the node only once the controller's view of it is rebuilt.
        sessions.open(nodeId, uuid, identity, now);
        log.info("node {} ({}{} at {}:{}, version {}) {} with {} instance(s); it is up", nodeId, uuid,
                curve ? ", uuid " + hello.uuid() : "", hello.host(), hello.nodePort(), hello.version(),
                reconnect ? "said hello again" : "said hello", hello.instances().size());
        return MessageCodec.tree(new NodeRef(nodeId));
    }

    private void replaceInstances(int nodeId, List<InstanceState> announced, Instant now) {
        Set<String> exprs = announced.stream().map(InstanceState::expr).collect(Collectors.toSet());
        for (InstanceRecord known : state.instances()) {
            if (known.nodeId() == nodeId && !exprs.contains(known.expr())) {
                state.removeInstance(nodeId, known.expr());
            }
        }
        for (InstanceState instance : announced) {
            state.putInstance(InstanceRecord.reported(nodeId, instance, now));
        }
    }

    private JsonNode keepAlive(String uuid) throws Refusal {
        Session session = sessions.bySender(uuid).orElseThrow(() -> new Refusal(RpcError.unknownNode(
                "this controller has no session for " + uuid + " (it restarted, or declared the node down)")));
        Instant now = clock.instant();
        session.heard(now);
        handlerThread.accept(() -> recordUp(session, now));
        return BooleanNode.TRUE;
    }

    /** Records that a node was heard from, unless its session closed meanwhile (a goodbye must stay down). */
    private void recordUp(Session session, Instant now) {
        if (sessions.bySender(session.sender()).orElse(null) != session) {
            return;
        }
        try {
            state.updateNodeStatus(session.nodeId(), NodeStatus.UP, now);
        } catch (RuntimeException e) {
            log.debug("cannot record that {} is up: {}", session, e.getMessage());
        }
    }

    private JsonNode goodbye(String uuid, Message.Request request) throws MalformedMessageException {
        Optional<Session> session = sessions.bySender(uuid);
        if (session.isPresent()) {
            if (sessions.close(session.get())) {
                state.updateNodeStatus(session.get().nodeId(), NodeStatus.DOWN, clock.instant());
                log.info("{} said goodbye; it is down", session.get());
            }
            return BooleanNode.TRUE;
        }
        // Not connected here (say, this controller restarted): trust the node-id only with its own uuid.
        NodeRef ref = MessageCodec.read(request.params(), NodeRef.class, "goodbye params");
        state.node(ref.nodeId())
                .filter(node -> node.uuid().equals(uuid) && node.status() == NodeStatus.UP)
                .ifPresent(node -> {
                    state.updateNodeStatus(node.nodeId(), NodeStatus.DOWN, clock.instant());
                    log.info("node {} ({}) said goodbye; it is down", node.nodeId(), uuid);
                });
        return BooleanNode.TRUE;
    }

    private void stat(Session session, StatReport report) {
        Instant now = heard(session);
        for (InstanceStats stats : report.stats()) {
            state.recordStat(StatRecord.reported(session.nodeId(), stats, now));
        }
    }

    private void alert(Session session, Alert alert) {
        Instant now = heard(session);
        log.warn("{} alerts: {}{} {}", session, alert.type(), alert.expr() == null ? "" : " on " + alert.expr(),
                Alert.LOAD.equals(alert.type())
                        ? alert.value() + " requests/s is above alert_load"
                        : Units.formatBytes((long) alert.value()) + " on disk is above alert_disk");
        state.recordAlert(new AlertRecord(session.nodeId(), alert.expr(), alert.type(), alert.value(), now));
    }

    /** Any message proves the node alive: in memory for the liveness check, and in the database. */
    private Instant heard(Session session) {
        Instant now = clock.instant();
        session.heard(now);
        state.updateNodeStatus(session.nodeId(), NodeStatus.UP, now);
        return now;
    }
}
