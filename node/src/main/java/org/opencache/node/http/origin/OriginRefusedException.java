package org.opencache.node.http.origin;

import java.io.IOException;
import org.opencache.node.http.rules.OriginAccess;

/**
 * The origin's host resolved only to addresses the instance may not reach ({@link OriginAccess}),
 * so no connection was opened: the client gets a 403, a fetch command fails with this message.
 */
public final class OriginRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Not serialized: the exception never leaves the node. */
    private final transient OriginAccess.Refusal refusal;

    /**
     * @param host    the origin's host as the request named it
     * @param refusal why its (first) address is refused
     */
    public OriginRefusedException(String host, OriginAccess.Refusal refusal) {
        super("origin " + host + " refused: " + refusal.describe()
                + (refusal.address().getHostAddress().equals(host) ? "" : " (the address it resolved to)")
                + ", which this instance may not reach");
        this.refusal = refusal;
    }

    /** Why the address is refused. */
    public OriginAccess.Refusal refusal() {
        return refusal;
    }
}
