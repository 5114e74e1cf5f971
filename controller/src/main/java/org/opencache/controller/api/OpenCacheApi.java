package org.opencache.controller.api;

import com.googlecode.jsonrpc4j.JsonRpcParam;
import java.util.List;
import java.util.Map;

/**
 * The JSON-RPC methods of the controller (docs/design.md §4), by name. Every parameter is optional
 * (a missing {@code expr} or {@code node-id} means {@code *}) except the {@code node-id} of
 * {@code forget}. The parameter names and Java types
 * here are also what {@link RequestValidator} checks requests against, so this interface is the
 * single description of the API; the validator also takes {@code node}, the original OpenCache's
 * name, for {@code node-id}.
 */
public interface OpenCacheApi {

    /** Creates instances for {@code expr} on the nodes, or resumes paused ones. */
    boolean start(@JsonRpcParam("expr") String expr,
                  @JsonRpcParam("node-id") String nodeId,
                  @JsonRpcParam("horizon") Long horizonSeconds);

    /** Ends instances, on the nodes that hold them: their content is deleted and their rules removed. */
    boolean stop(@JsonRpcParam("expr") String expr, @JsonRpcParam("node-id") String nodeId);

    /** Stops serving and removes rules, on the nodes that hold the instances; content stays for a {@code start}. */
    boolean pause(@JsonRpcParam("expr") String expr, @JsonRpcParam("node-id") String nodeId);

    /** Pre-caches fully resolved URLs ({@code |}-list) on the nodes. */
    boolean fetch(@JsonRpcParam("expr") String urls, @JsonRpcParam("node-id") String nodeId);

    /** Makes a {@code |}-list of fully resolved URLs one object, stored once per node. */
    boolean seed(@JsonRpcParam("expr") String urls, @JsonRpcParam("node-id") String nodeId);

    /**
     * Drops stored objects from the selected instances: every variant of each URL of {@code url}
     * (one URL or a {@code |}-list), or everything under each of {@code prefix} (the same
     * grammar); exactly one of the two. Returns, per node-id, how many objects it dropped.
     */
    Map<Integer, Long> purge(@JsonRpcParam("url") String url, @JsonRpcParam("prefix") String prefix,
                             @JsonRpcParam("expr") String expr, @JsonRpcParam("node-id") String nodeId);

    /** Asks the nodes that hold the instances to report fresh statistics now. */
    boolean refresh(@JsonRpcParam("expr") String expr, @JsonRpcParam("node-id") String nodeId);

    /** Aggregate statistics of the selected instances. */
    StatResult stat(@JsonRpcParam("expr") String expr, @JsonRpcParam("node-id") String nodeId);

    /**
     * The selected nodes with their instances; instances stopped longer ago than
     * {@code stat_retention} are left out unless {@code all} is true.
     */
    List<NodeView> nodes(@JsonRpcParam("node-id") String nodeId, @JsonRpcParam("all") Boolean all);

    /**
     * The newest alerts the nodes raised (at most 1000), oldest first,
     * received at or after {@code since} (an ISO-8601 instant), of the selected nodes, concerning
     * the selected expressions.
     */
    List<AlertView> alerts(@JsonRpcParam("since") String since, @JsonRpcParam("node-id") String nodeId,
                           @JsonRpcParam("expr") String expr);

    /**
     * Removes nodes that are down, with their instances, statistics and alerts; returns their
     * node-ids. Takes one id or a {@code |}-list, never {@code *}.
     */
    List<Integer> forget(@JsonRpcParam("node-id") String nodeId);
}
