package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * Sends a command ({@code start}, {@code stop}, {@code pause}, {@code fetch}, {@code seed},
 * {@code stat}) to nodes and waits for their acknowledgements, up to {@code command_timeout}.
 */
public interface NodeCommander {

    /**
     * Sends {@code method} with {@code params} to every node in {@code nodeIds} and waits for
     * each to answer; never throws for a node that fails, it is reported in the outcome.
     */
    CommandOutcome send(Collection<Integer> nodeIds, String method, ObjectNode params);
}
