package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ExpressionList;

/**
 * Stop serving instances, keeping their content, counters and ports.
 *
 * <pre>{"expr": "example.com"}</pre>
 *
 * @param expressions the instances to pause, {@code *} for all
 */
public record PauseCommand(ExpressionList expressions) implements InstanceCommand {

    /** Requires the expressions. */
    public PauseCommand {
        Objects.requireNonNull(expressions, "expressions");
    }

    @Override
    public String method() {
        return Methods.PAUSE;
    }
}
