package org.opencache.node.link;

import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.protocol.Alert;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.Outbox;
import org.opencache.common.protocol.StatReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's end of the link to the controller (docs/design.md §5): a ZeroMQ DEALER, identified by the
 * node's uuid, connected to {@code tcp://controller_host:notification_port}.
 *
 * <p>It says {@code hello} with the node's instances until the controller answers, keeps the
 * session alive, and heals by itself when the controller restarts or goes silent (see
 * {@link LinkLoop}). Commands are carried out by the node's {@link CommandHandler} on a worker
 * thread; statistics and alerts are sent as notifications. The node keeps serving whatever
 * happens to the link: control plane and data plane are independent (docs/design.md §1).
 *
 * <p>Thread-safe: every method may be called from any thread, and none blocks except
 * {@link #close()}.
 */
public final class ControllerLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerLink.class);

    private final Outbox<Message> outbox;
    private final CommandWorker worker;
    private final LinkLoop loop;

    private ControllerLink(Outbox<Message> outbox, CommandWorker worker, LinkLoop loop) {
        this.outbox = outbox;
        this.worker = worker;
        this.loop = loop;
    }

    /**
     * Starts the link; returns at once, before the controller answers.
     *
     * @param uuid      the node's identity ({@link NodeIdentity#load})
     * @param nodePort  the node's status/metrics port, announced in {@code hello}
     * @param instances the node's instances now; called on the link thread at every hello, so it
     *                  must be thread-safe and quick
     * @param handler   carries out the controller's commands
     * @param clock     times keep-alives and hello retries; must advance like real time
     */
    public static ControllerLink start(NodeConfig config, String uuid, int nodePort,
            Supplier<List<InstanceState>> instances, CommandHandler handler, Clock clock) {
        Outbox<Message> outbox = new Outbox<>();
        CommandWorker worker = new CommandWorker(handler, outbox::offer);
        LinkLoop loop = new LinkLoop(config, uuid, nodePort, instances, clock, outbox, worker::submit);
        loop.start();
        return new ControllerLink(outbox, worker, loop);
    }

    /** Whether the controller answered this node's hello and has answered its keep-alives since. */
    public boolean isConnected() {
        return loop.isConnected();
    }

    /**
     * The id the controller gave this node, once it has; kept while reconnecting, since the
     * controller gives a uuid the same id again.
     */
    public OptionalInt nodeId() {
        return loop.nodeId();
    }

    /** Reports instance counters ({@code stat}); dropped, with a debug log, when not connected. */
    public void sendStats(List<InstanceStats> stats) {
        notifyController(Methods.STAT, nodeId -> new StatReport(nodeId, stats));
    }

    /** Raises an alert about the whole node; see {@link #sendAlert(String, double, String)}. */
    public void sendAlert(String type, double value) {
        sendAlert(type, value, null);
    }

    /**
     * Raises an alert ({@code alert}); dropped, with a debug log, when not connected.
     *
     * @param type  {@link Alert#LOAD} (requests/s) or {@link Alert#DISK} (bytes)
     * @param value the measured value
     * @param expr  the instance it concerns; null for the whole node
     */
    public void sendAlert(String type, double value, String expr) {
        notifyController(Methods.ALERT, nodeId -> new Alert(nodeId, type, value, expr));
    }

    private void notifyController(String method, IntFunction<Object> payload) {
        OptionalInt nodeId = loop.nodeId();
        if (!loop.isConnected() || nodeId.isEmpty()) {
            log.debug("dropped '{}': not connected to the controller", method);
            return;
        }
        outbox.offer(new Message.Notification(method, MessageCodec.params(payload.apply(nodeId.getAsInt()))));
    }

    /** Says goodbye (waiting at most a second for the answer), then stops the link and the worker. */
    @Override
    public void close() {
        loop.stop();
        worker.close();
        outbox.close();
    }
}
