package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.protocol.Message;
import org.opencache.controller.state.ControllerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's end of the link to its nodes (DESIGN.md §5): a ZeroMQ ROUTER on
 * {@code tcp://controller_host:notification_port} that nodes connect to, and the
 * {@link NodeCommander} through which the API reaches them.
 *
 * <p><b>Threads.</b> One I/O thread owns the socket ({@link RouterLoop}); it only decodes frames,
 * completes waiting commands and sends what others queue. Node messages ({@code hello},
 * {@code keep_alive}, {@code goodbye}, {@code stat}, {@code alert}) and the liveness check run on
 * one handler thread, in arrival order, because they write to the database
 * ({@link NodeMessageHandler}, {@link Liveness}). Commands wait on the caller's thread
 * ({@link CommandDispatcher}).
 *
 * <p><b>Restarts.</b> The controller keeps no session state that is not rebuilt from the nodes:
 * after a restart, a node's next {@code keep_alive} is answered "unknown node: say hello first",
 * and its {@code hello} announces its instances again.
 */
public final class NodeLinkServer implements NodeCommander, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLinkServer.class);
    private static final Duration HANDLER_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final RouterLoop router;
    private final ScheduledExecutorService handlerThread;
    private final NodeMessageHandler messages;
    private final CommandDispatcher commands;
    private final NodeSessions sessions;
    private final Clock clock;

    private NodeLinkServer(RouterLoop.Inbound inbound, ControllerConfig config, ControllerState state, Clock clock) {
        this.router = RouterLoop.bind(config.controllerHost(), config.notificationPort(), inbound);
        this.clock = clock;
        this.sessions = new NodeSessions();
        this.messages = new NodeMessageHandler(state, sessions, clock);
        this.commands = new CommandDispatcher(state, sessions, router::send, config.commandTimeout());
        this.handlerThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("opencache-node-link").factory());
        Liveness liveness = new Liveness(state, sessions, config.nodeTimeout(), clock);
        long period = Liveness.period(config.nodeTimeout()).toMillis();
        handlerThread.scheduleWithFixedDelay(liveness::check, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Binds the node endpoint and starts serving nodes.
     *
     * @param clock the time recorded as nodes' last-seen and against which {@code node_timeout} is judged
     * @throws IllegalStateException when the endpoint cannot be bound (e.g. the port is taken)
     */
    public static NodeLinkServer start(ControllerConfig config, ControllerState state, Clock clock) {
        Dispatch dispatch = new Dispatch();
        NodeLinkServer server = new NodeLinkServer(dispatch, config, state, clock);
        dispatch.server = server;
        server.router.start();
        log.info("listening for nodes on {}", server.router.endpoint());
        return server;
    }

    /**
     * {@inheritDoc} A node that has not said hello to this controller, or went down since, fails
     * with {@code node not connected}; one that does not answer within {@code command_timeout}
     * with {@code no acknowledgement within …}; one that answers an error with that error's
     * message and data. The instances a successful {@code start}, {@code stop} or {@code pause}
     * touched are recorded.
     */
    @Override
    public CommandOutcome send(Collection<Integer> nodeIds, String method, ObjectNode params) {
        return commands.send(nodeIds, method, params);
    }

    /** Hands what the I/O thread receives to where it belongs; set up before the thread starts. */
    private static final class Dispatch implements RouterLoop.Inbound {
        private NodeLinkServer server;

        @Override
        public void received(byte[] identity, Message message) {
            String uuid = RouterLoop.display(identity);
            switch (message) {
                case Message.Response response -> {
                    server.sessions.byUuid(uuid).ifPresent(session -> session.heard(server.clock.instant()));
                    server.commands.complete(response);
                }
                case Message.Request request -> server.onHandlerThread(() -> server.router.send(
                        new RouterLoop.Outgoing(identity, server.messages.answer(uuid, request))));
                case Message.Notification notification ->
                        server.onHandlerThread(() -> server.messages.accept(uuid, notification));
            }
        }

        @Override
        public void unroutable(byte[] identity, Message message) {
            if (message instanceof Message.Request request) {
                server.commands.unroutable(request.id());
            } else {
                log.debug("dropped a reply to {}: it is no longer connected", RouterLoop.display(identity));
            }
        }
    }

    private void onHandlerThread(Runnable task) {
        try {
            handlerThread.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("dropped a node message: the link is closing");
        }
    }

    /** Stops receiving, then handling, and fails commands still waiting. Nodes notice by their heartbeats. */
    @Override
    public void close() {
        router.close();
        handlerThread.shutdownNow();
        try {
            handlerThread.awaitTermination(HANDLER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commands.close();
    }
}
