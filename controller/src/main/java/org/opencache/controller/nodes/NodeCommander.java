package org.opencache.controller.nodes;

import java.util.Collection;
import org.opencache.common.protocol.Command;

/**
 * Sends a {@link Command} ({@code start}, {@code stop}, {@code pause}, {@code fetch}, {@code seed},
 * {@code stat}) to nodes and waits for their acknowledgements, up to {@code command_timeout}.
 */
public interface NodeCommander {

    /**
     * Sends {@code command} to every node in {@code nodeIds} and waits for each to answer; never
     * throws for a node that fails, it is reported in the outcome.
     */
    CommandOutcome send(Collection<Integer> nodeIds, Command command);
}
