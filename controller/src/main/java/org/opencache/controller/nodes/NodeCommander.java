package org.opencache.controller.nodes;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opencache.common.protocol.Command;

/**
 * Sends a {@link Command} ({@code start}, {@code stop}, {@code pause}, {@code fetch}, {@code seed},
 * {@code purge}, {@code stat}) to nodes and waits for their acknowledgements, up to {@code command_timeout}.
 */
public interface NodeCommander {

    /**
     * Sends each node its own command (e.g. only the expressions it has) and waits for each to
     * answer, all within one deadline; never throws for a node that fails, it is reported in
     * the outcome.
     *
     * @param commands node-id to the command it gets, in the order to send them
     */
    default CommandOutcome send(Map<Integer, ? extends Command> commands) {
        return sendForResults(commands).outcome();
    }

    /** {@link #send(Map)}, with what each node that succeeded answered. */
    CommandResults sendForResults(Map<Integer, ? extends Command> commands);

    /** Sends {@code command} to every node in {@code nodeIds}; see {@link #send(Map)}. */
    default CommandOutcome send(Collection<Integer> nodeIds, Command command) {
        Map<Integer, Command> commands = new LinkedHashMap<>();
        nodeIds.forEach(nodeId -> commands.put(nodeId, command));
        return send(commands);
    }
}
