package org.opencache.node.link;

import org.opencache.common.protocol.Command;

/**
 * What the node does with the controller's commands (docs/design.md §5), one {@link Command}
 * record per method.
 *
 * <p>Called on the link's command worker, one command at a time in arrival order, never on the
 * socket's thread: a command may take as long as it needs, though the controller gives up
 * waiting after its {@code command_timeout}.
 */
public interface CommandHandler {

    /**
     * Carries out one command.
     *
     * @return the result payload, which the link encodes: for an
     *         {@link org.opencache.common.protocol.InstanceCommand} the
     *         {@link org.opencache.common.protocol.InstancesResult} of the instances touched;
     *         otherwise {@code true}
     * @throws CommandException when the command is refused or fails, with the error to report
     */
    Object handle(Command command) throws CommandException;
}
