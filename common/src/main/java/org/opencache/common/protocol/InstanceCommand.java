package org.opencache.common.protocol;

import org.opencache.common.expr.ExpressionList;

/**
 * A command that changes instances ({@code start}, {@code stop}, {@code pause}); a node answers it
 * with an {@link InstancesResult} of the instances it touched, which the controller records.
 */
public sealed interface InstanceCommand extends Command permits StartCommand, StopCommand, PauseCommand {

    /** The instances the command selects; {@code *} is every instance (for start: the wildcard one). */
    ExpressionList expressions();
}
