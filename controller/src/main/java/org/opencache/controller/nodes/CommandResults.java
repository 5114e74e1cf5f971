package org.opencache.controller.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one command sent to several nodes came to, with what each node that succeeded answered
 * (a {@code purge}'s count, say).
 *
 * @param outcome which nodes succeeded and which failed
 * @param results node-id to its result, for the nodes that succeeded, in the order they were sent
 */
public record CommandResults(CommandOutcome outcome, Map<Integer, JsonNode> results) {

    /** Copies the results. */
    public CommandResults {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }
}
