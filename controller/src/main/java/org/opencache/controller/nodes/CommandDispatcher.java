package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.opencache.common.config.Units;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.InstanceCommand;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstancesResult;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.controller.nodes.NodeSessions.Session;
import org.opencache.controller.state.ControllerState;
import org.opencache.controller.state.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to nodes and matches their replies by request id.
 *
 * <p>A command to several nodes is sent to all of them before waiting for any, and all share one
 * deadline, so a slow node delays nobody else and the whole call takes at most
 * {@code command_timeout}. A reply after the deadline is dropped (the node still did the work;
 * its next {@code hello} or command result tells the controller).
 */
final class CommandDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    /** Why a command did not reach a node that is not connected; the API reports it verbatim. */
    static final String NOT_CONNECTED = "node not connected";
    private static final String SHUTTING_DOWN = "controller shutting down";

    private final ControllerState state;
    private final NodeSessions sessions;
    private final Predicate<RouterLoop.Outgoing> transport;
    private final Duration timeout;
    /** Stamps the instances a stop touched. */
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    /** A command waiting for its reply, which only the node it went to may give. */
    private record Pending(String sender, CompletableFuture<Message.Response> reply) {
    }

    /**
     * @param transport queues a message for the socket; false when the socket is closed
     * @param timeout   {@code command_timeout}
     * @param clock     the time recorded for instances that stopped
     */
    CommandDispatcher(ControllerState state, NodeSessions sessions, Predicate<RouterLoop.Outgoing> transport,
            Duration timeout, Clock clock) {
        this.clock = clock;
        this.state = state;
        this.sessions = sessions;
        this.transport = transport;
        this.timeout = timeout;
    }

    /** Failed attempts to reach a node, carrying the reason the caller reports. */
    private static final class Undelivered extends Exception {
        private static final long serialVersionUID = 1L;

        Undelivered(String reason) {
            super(reason, null, false, false);
        }
    }

    /** See {@link NodeCommander#sendForResults(Map)}. */
    CommandResults send(Map<Integer, ? extends Command> commands) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CommandOutcome.Failure> failed = new ArrayList<>();
        Map<Integer, Long> inflight = new LinkedHashMap<>();
        for (Map.Entry<Integer, ? extends Command> target : commands.entrySet()) {
            int nodeId = target.getKey();
            Command command = target.getValue();
            Optional<Session> session = sessions.byNodeId(nodeId);
            if (session.isEmpty()) {
                failed.add(new CommandOutcome.Failure(nodeId, NOT_CONNECTED));
                continue;
            }
            long id = ids.incrementAndGet();
            // Registered before sending, so that no reply can arrive before its request is known.
            pending.put(id, new Pending(session.get().sender(), new CompletableFuture<>()));
            Message.Request request = MessageCodec.request(id, command);
            if (transport.test(new RouterLoop.Outgoing(session.get().identity(), request))) {
                inflight.put(nodeId, id);
            } else {
                pending.remove(id);
                failed.add(new CommandOutcome.Failure(nodeId, SHUTTING_DOWN));
            }
        }
        List<Integer> succeeded = new ArrayList<>();
        Map<Integer, JsonNode> results = new LinkedHashMap<>();
        inflight.forEach((nodeId, id) -> await(nodeId, id, commands.get(nodeId), deadline, results).ifPresentOrElse(
                reason -> failed.add(new CommandOutcome.Failure(nodeId, reason)), () -> succeeded.add(nodeId)));
        return new CommandResults(new CommandOutcome(succeeded, failed), results);
    }

    /** Waits for one node's reply, noting its result in {@code results}; empty on success, else the reason it failed. */
    private Optional<String> await(int nodeId, long id, Command command, long deadline,
            Map<Integer, JsonNode> results) {
        CompletableFuture<Message.Response> reply = pending.get(id).reply();
        try {
            Message.Response response = reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return switch (response) {
                case Message.Failure failure -> Optional.of(failure.error().describe());
                case Message.Result result -> {
                    Optional<String> problem = record(nodeId, command, result.result());
                    if (problem.isEmpty()) {
                        results.put(nodeId, result.result());
                    }
                    yield problem;
                }
            };
        } catch (TimeoutException e) {
            return Optional.of("no acknowledgement within " + Units.formatDuration(timeout));
        } catch (ExecutionException e) {
            return Optional.of(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while waiting for the node");
        } finally {
            pending.remove(id);
        }
    }

    /** Records the instances a start, stop or pause touched; empty when that worked (or there are none). */
    private Optional<String> record(int nodeId, Command command, JsonNode result) {
        if (!(command instanceof InstanceCommand)) {
            return Optional.empty();
        }
        String method = command.method();
        try {
            InstancesResult touched = MessageCodec.read(result, InstancesResult.class, method + " result");
            for (InstanceState instance : touched.instances()) {
                state.putInstance(InstanceRecord.reported(nodeId, instance, clock.instant()));
            }
            return Optional.empty();
        } catch (MalformedMessageException e) {
            log.warn("node {} answered '{}' with an invalid result: {}", nodeId, method, e.getMessage());
            return Optional.of("invalid reply: " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("acknowledged, but its instances could not be recorded: " + e.getMessage());
        }
    }

    /** A reply arrived from {@code sender} (I/O thread); one from another node than the command's is dropped. */
    void complete(String sender, Message.Response response) {
        Pending waiting = pending.get(response.id());
        if (waiting == null) {
            log.debug("dropped the reply to request {}: it came after the deadline", response.id());
        } else if (!waiting.sender().equals(sender)) {
            log.warn("dropped a reply to request {} from {}: the request went to {}", response.id(), sender,
                    waiting.sender());
        } else {
            waiting.reply().complete(response);
        }
    }

    /** The request with this id could not be routed to its node (I/O thread). */
    void unroutable(long id) {
        fail(id, NOT_CONNECTED);
    }

    private void fail(long id, String reason) {
        Pending waiting = pending.get(id);
        if (waiting != null) {
            waiting.reply().completeExceptionally(new Undelivered(reason));
        }
    }

    /** Fails every command still waiting. */
    @Override
    public void close() {
        pending.keySet().forEach(id -> fail(id, SHUTTING_DOWN));
    }
}
