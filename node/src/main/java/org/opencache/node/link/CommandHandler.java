package org.opencache.node.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the node does with the controller's commands (DESIGN.md §5): {@code start}
 * ({@code {"expr", "horizon"}}), {@code stop}, {@code pause}, {@code stat} ({@code {"expr"}}),
 * {@code fetch} and {@code seed} ({@code {"expr": "url|url"}}).
 *
 * <p>Called on the link's command worker, one command at a time in arrival order, never on the
 * socket's thread: a command may take as long as it needs, though the controller gives up
 * waiting after its {@code command_timeout}.
 */
public interface CommandHandler {

    /**
     * Carries out one command.
     *
     * @param method one of {@link org.opencache.common.protocol.Methods#COMMANDS}
     * @param params its params, by name
     * @return the result: for {@code start}, {@code stop} and {@code pause} an
     *         {@link org.opencache.common.protocol.InstancesResult} of the instances touched (as
     *         {@link org.opencache.common.protocol.MessageCodec#tree}); otherwise e.g. {@code true}
     * @throws CommandException when the command is refused or fails, with the error to report
     */
    JsonNode handle(String method, ObjectNode params) throws CommandException;
}
