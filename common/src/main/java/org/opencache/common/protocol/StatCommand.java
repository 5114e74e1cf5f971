package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ExpressionList;

/**
 * Send a statistics report now (the API's {@code refresh}); answered {@code true}.
 *
 * <pre>{"expr": "*"}</pre>
 *
 * @param expressions the instances the caller is interested in; a node reports all of them
 */
public record StatCommand(ExpressionList expressions) implements Command {

    /** Requires the expressions. */
    public StatCommand {
        Objects.requireNonNull(expressions, "expressions");
    }

    @Override
    public String method() {
        return Methods.STAT;
    }
}
