package org.opencache.controller.state;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Everything the controller remembers, and the only way it reaches the database. The controller
 * holds no state outside it, so it can restart (or run as replicas) without losing anything.
 * Every method throws {@link DatabaseUnavailableException} when the database cannot be reached;
 * none blocks for longer than the driver's server-selection timeout.
 */
public interface ControllerState {

    /** All known nodes, ordered by node-id. */
    List<NodeRecord> nodes();

    /** The node with this id, if known. */
    Optional<NodeRecord> node(int nodeId);

    /**
     * Registers a node saying hello: the same uuid always gets the same node-id (new uuids get the
     * next free one from the {@code counters} collection); host, port, version, status (up) and
     * last-seen are updated.
     */
    NodeRecord registerNode(String uuid, String host, int nodePort, String version, Instant now);

    /** {@link #registerNode(String, String, int, String, Instant)} of a node that gave no version. */
    default NodeRecord registerNode(String uuid, String host, int nodePort, Instant now) {
        return registerNode(uuid, host, nodePort, "unknown", now);
    }

    /** Records a node's liveness: status and, when it is heard from, the last-seen time. */
    void updateNodeStatus(int nodeId, NodeStatus status, Instant lastSeen);

    /** All instances of all nodes, ordered by node-id then expression. */
    List<InstanceRecord> instances();

    /**
     * Creates or replaces the instance keyed by (node-id, expr). A stopped instance that was
     * already stopped keeps its earlier stop time, so a node announcing it again in every
     * {@code hello} does not make it recent.
     */
    void putInstance(InstanceRecord instance);

    /** Forgets an instance (and its latest stats). */
    void removeInstance(int nodeId, String expr);

    /** Stores the latest counters of an instance and appends a point to its history. */
    void recordStat(StatRecord stat);

    /** The latest counters of every instance, ordered by node-id then expression. */
    List<StatRecord> stats();

    /** The history points of one instance between {@code from} and {@code to}, oldest first. */
    List<StatRecord> statsHistory(int nodeId, String expr, Instant from, Instant to);

    /**
     * The instances with history points in the hours from {@code from} to {@code to}, ordered by
     * node-id then expression (a key may have no point in the exact window: buckets are hours).
     *
     * @param nodeIds only these nodes; null for any node
     * @param exprs   only these canonical expressions; null for any
     */
    List<InstanceKey> historyInstances(Collection<Integer> nodeIds, Collection<String> exprs, Instant from, Instant to);

    /** The newest history point of one instance reported before {@code before} (excluded), if any is stored. */
    Optional<StatRecord> statBefore(InstanceKey instance, Instant before);

    /**
     * Appends an alert about the whole node ({@code type} {@code load}: requests/s above
     * {@code alert_load}; {@code disk}: bytes above {@code alert_disk}).
     */
    default void recordAlert(int nodeId, String type, double value, Instant at) {
        recordAlert(new AlertRecord(nodeId, null, type, value, at));
    }

    /** Appends an alert a node raised; alerts are kept for {@code stat_retention} ({@link #expireStatsBefore}). */
    void recordAlert(AlertRecord alert);

    /**
     * The newest {@code limit} alerts at or after {@code since}, oldest first.
     *
     * @param since   the earliest time, or null for every stored alert
     * @param nodeIds only alerts of these nodes; null for any node
     * @param exprs   only alerts concerning these canonical expressions (so no node-wide alert);
     *                null for any alert, node-wide ones included
     */
    List<AlertRecord> alerts(Instant since, Collection<Integer> nodeIds, Collection<String> exprs, int limit);

    /**
     * Forgets a node that is down: deletes its {@code nodes} document, then its instances, latest
     * stats, history and alerts. The node document goes first and only while its status is down,
     * so a node that says hello meanwhile either stays (up, nothing deleted) or registers anew
     * with a new node-id.
     *
     * @return the node as it was, or empty when no node with this id is down (unknown, or up);
     *         then nothing is deleted
     */
    Optional<NodeRecord> forgetNode(int nodeId);

    /** Deletes latest stats, history points and alerts older than {@code cutoff}; returns how many. */
    long expireStatsBefore(Instant cutoff);
}
