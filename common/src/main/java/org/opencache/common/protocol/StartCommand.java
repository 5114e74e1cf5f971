package org.opencache.common.protocol;

import java.time.Duration;
import java.util.Objects;
import org.opencache.common.expr.ExpressionList;

/**
 * Create instances, or resume paused or stopped ones.
 *
 * <pre>{"expr": "example.com|example.org/videos", "horizon": 60}</pre>
 *
 * @param expressions the instances to start
 * @param horizon     freshness for responses that state none; never negative
 */
public record StartCommand(ExpressionList expressions, Duration horizon) implements InstanceCommand {

    /** Requires both; a negative horizon is no horizon. */
    public StartCommand {
        Objects.requireNonNull(expressions, "expressions");
        horizon = horizon.isNegative() ? Duration.ZERO : horizon;
    }

    @Override
    public String method() {
        return Methods.START;
    }
}
