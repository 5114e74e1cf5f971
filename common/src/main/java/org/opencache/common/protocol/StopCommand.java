package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ExpressionList;

/**
 * End instances: close and free their ports and delete their content.
 *
 * <pre>{"expr": "example.com"}</pre>
 *
 * @param expressions the instances to stop, {@code *} for all
 */
public record StopCommand(ExpressionList expressions) implements InstanceCommand {

    /** Requires the expressions. */
    public StopCommand {
        Objects.requireNonNull(expressions, "expressions");
    }

    @Override
    public String method() {
        return Methods.STOP;
    }
}
