package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;

/**
 * The commander of a controller that has no link to its nodes (before the ZeroMQ link is
 * started, or when it is not configured): every node is reported unreachable, so callers get a
 * precise {@code -32001} instead of a silent success.
 */
public final class OfflineNodeCommander implements NodeCommander {

    @Override
    public CommandOutcome send(Collection<Integer> nodeIds, String method, ObjectNode params) {
        List<CommandOutcome.Failure> failed = nodeIds.stream()
                .map(id -> new CommandOutcome.Failure(id, "node not connected to this controller"))
                .toList();
        return new CommandOutcome(List.of(), failed);
    }
}
