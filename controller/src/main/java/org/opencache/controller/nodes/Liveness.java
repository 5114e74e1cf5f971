package org.opencache.controller.nodes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.opencache.common.config.Units;
import org.opencache.controller.nodes.NodeSessions.Session;
import org.opencache.controller.state.ControllerState;
import org.opencache.controller.state.NodeRecord;
import org.opencache.controller.state.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares nodes down when nothing was heard from them for {@code node_timeout}.
 *
 * <p>Two kinds of silence: a connected node whose session saw no message (its session is closed,
 * so it must say hello again before it gets commands), and a node the database still shows up
 * although no controller has heard from it (it was up when a controller stopped). Judging the
 * latter by the stored {@code last_seen} keeps replicas sharing one database from marking down
 * each other's nodes.
 *
 * <p>Runs on the link's handler thread, the thread that opens sessions, so a check never races
 * a hello.
 */
final class Liveness {
    private static final Logger log = LoggerFactory.getLogger(Liveness.class);
    private static final Duration MIN_PERIOD = Duration.ofMillis(100);
    private static final Duration MAX_PERIOD = Duration.ofSeconds(5);

    private final ControllerState state;
    private final NodeSessions sessions;
    private final Duration nodeTimeout;
    private final Clock clock;
    private boolean failing;

    Liveness(ControllerState state, NodeSessions sessions, Duration nodeTimeout, Clock clock) {
        this.state = state;
        this.sessions = sessions;
        this.nodeTimeout = nodeTimeout;
        this.clock = clock;
    }

    /** How often to check: a quarter of the timeout, within [100 ms, 5 s]; a node is down at most that late. */
    static Duration period(Duration nodeTimeout) {
        Duration quarter = nodeTimeout.dividedBy(4);
        if (quarter.compareTo(MIN_PERIOD) < 0) {
            return MIN_PERIOD;
        }
        return quarter.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : quarter;
    }

    /** One check; catches everything, since an escaping exception would end the schedule. */
    void check() {
        Instant cutoff = clock.instant().minus(nodeTimeout);
        try {
            for (Session session : sessions.all()) {
                if (session.lastHeard().isBefore(cutoff) && sessions.close(session)) {
                    log.info("{} is down: nothing heard for {}", session, Units.formatDuration(nodeTimeout));
                    state.updateNodeStatus(session.nodeId(), NodeStatus.DOWN, null);
                }
            }
            for (NodeRecord node : state.nodes()) {
                if (node.status() == NodeStatus.UP && node.lastSeen().isBefore(cutoff)
                        && sessions.byNodeId(node.nodeId()).isEmpty()) {
                    log.info("node {} ({}) is down: not heard from since {}", node.nodeId(), node.uuid(),
                            node.lastSeen());
                    state.updateNodeStatus(node.nodeId(), NodeStatus.DOWN, null);
                }
            }
            if (failing) {
                failing = false;
                log.info("node liveness check works again");
            }
        } catch (RuntimeException e) {
            // A closed session whose write failed is still up in the database; the second loop
            // marks it down once the database is back.
            if (!failing) {
                failing = true;
                log.warn("cannot record node liveness ({}); retrying", e.getMessage());
            }
        }
    }
}
