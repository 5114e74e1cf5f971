package org.opencache.controller.nodes;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.Methods;
import org.opencache.controller.state.ControllerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's end of the link to its nodes (docs/design.md §5): a ZeroMQ ROUTER on
 * {@code tcp://controller_host:notification_port} that nodes connect to, and the
 * {@link NodeCommander} through which the API reaches them.
 *
 * <p><b>Threads.</b> One I/O thread owns the socket ({@link RouterLoop}); it decodes frames,
 * completes waiting commands, answers {@code keep_alive} from memory and sends what others queue.
 * The other node messages ({@code hello}, {@code goodbye}, {@code stat}, {@code alert}) and the
 * liveness check run on one handler thread, in arrival order, because they wait for the database
 * ({@link NodeMessageHandler}, {@link Liveness}). Commands wait on the caller's thread
 * ({@link CommandDispatcher}).
 *
 * <p><b>Restarts.</b> The controller keeps no session state that is not rebuilt from the nodes:
 * after a restart, a node's next {@code keep_alive} is answered "unknown node: say hello first",
 * and its {@code hello} announces its instances again.
 */
public final class NodeLinkServer implements NodeCommander, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLinkServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Node messages waiting for the database, at most. Beyond it (a database far slower than the
     * nodes) messages are dropped rather than memory exhausted: nodes repeat hellos and stats.
     */
    private static final int HANDLER_QUEUE = 10_000;
    /** Log one drop in this many. */
    private static final long DROP_LOG_EVERY = 1_000;

    private final RouterLoop router;
    private final ThreadPoolExecutor handlerThread;
    private final ScheduledExecutorService ticker;
    private final NodeMessageHandler messages;
    private final CommandDispatcher commands;
    private final NodeSessions sessions;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    private NodeLinkServer(RouterLoop.Inbound inbound, ControllerConfig config, ControllerState state, Clock clock)
            throws SettingException {
        this.router = RouterLoop.bind(config.controllerHost(), config.notificationPort(), config.linkKeys(), inbound);
        this.clock = clock;
        this.sessions = new NodeSessions();
        this.handlerThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(HANDLER_QUEUE),
                Thread.ofPlatform().daemon().name("opencache-node-link").factory());
        this.messages = new NodeMessageHandler(state, sessions, clock, this::onHandlerThread,
                config.linkKeys().isPresent());
        this.commands = new CommandDispatcher(state, sessions, router::send, config.commandTimeout(), clock);
        // The check itself runs on the handler thread, which opens and closes sessions: no race with a hello.
        Liveness liveness = new Liveness(state, sessions, config.nodeTimeout(), clock);
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("opencache-node-liveness").factory());
        long period = Liveness.period(config.nodeTimeout()).toMillis();
        ticker.scheduleWithFixedDelay(() -> onHandlerThread(liveness::check), period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Binds the node endpoint and starts serving nodes.
     *
     * @param clock the time recorded as nodes' last-seen and against which {@code node_timeout} is judged
     * @throws SettingException when the endpoint cannot be bound ({@code notification_port = PORT: address in use})
     */
    public static NodeLinkServer start(ControllerConfig config, ControllerState state, Clock clock)
            throws SettingException {
        Dispatch dispatch = new Dispatch();
        NodeLinkServer server = new NodeLinkServer(dispatch, config, state, clock);
        dispatch.server = server;
        server.router.start();
        log.info("listening for nodes on {} ({})", server.router.endpoint(), config.linkKeys()
                .map(keys -> "CURVE, " + keys.authorized().size() + " authorized node key(s), controller key "
                        + keys.own().publicKey())
                .orElse("plain: not encrypted, any node may join"));
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
    public CommandResults sendForResults(Map<Integer, ? extends Command> commands) {
        return this.commands.send(commands);
    }

    /** Hands what the I/O thread receives to where it belongs; set up before the thread starts. */
    private static final class Dispatch implements RouterLoop.Inbound {
        private NodeLinkServer server;

        @Override
        public void received(byte[] identity, String sender, Message message) {
            server.sessions.bySender(sender).ifPresent(session -> session.routeVia(identity));
            switch (message) {
                case Message.Response response -> {
                    server.sessions.bySender(sender).ifPresent(session -> session.heard(server.clock.instant()));
                    server.commands.complete(sender, response);
                }
                // Answered from memory, so that a slow database never makes nodes think the controller is gone.
                case Message.Request request when Methods.KEEP_ALIVE.equals(request.method()) -> server.router.send(
                        new RouterLoop.Outgoing(identity, server.messages.answer(sender, identity, request)));
                case Message.Request request -> server.onHandlerThread(() -> server.router.send(
                        new RouterLoop.Outgoing(identity, server.messages.answer(sender, identity, request))));
                case Message.Notification notification ->
                        server.onHandlerThread(() -> server.messages.accept(sender, notification));
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
            if (closing) {
                log.debug("dropped a node message: the link is closing");
            } else if (dropped.getAndIncrement() % DROP_LOG_EVERY == 0) {
                log.warn("the database cannot keep up with the nodes: {} node message(s) dropped so far "
                        + "(nodes repeat hellos and stats)", dropped.get());
            }
        }
    }

    /** Stops receiving, then handling, and fails commands still waiting. Nodes notice by their heartbeats. */
    @Override
    public void close() {
        closing = true;
        router.close();
        ticker.shutdownNow();
        handlerThread.shutdownNow();
        try {
            handlerThread.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commands.close();
    }
}
