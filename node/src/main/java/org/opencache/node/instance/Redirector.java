package org.opencache.node.instance;

import java.net.Inet4Address;
import java.util.List;
import org.opencache.common.expr.Expression;

/**
 * Steers clients' traffic for an instance's origin to the instance (docs/design.md §7). The
 * {@link InstanceManager} calls it after opening an instance's port and before closing it, so a
 * redirected client never meets a closed port.
 */
public interface Redirector {
    /** A node without {@code openflow_switch}: instances are plain reverse proxies on their ports. */
    Redirector NONE = new Redirector() {
        @Override
        public List<Inet4Address> resolve(Expression expression) {
            return List.of();
        }

        @Override
        public void redirect(Expression expression, List<Inet4Address> origins, int port, boolean await) {
        }

        @Override
        public void release(Expression expression, int port) {
        }
    };

    /**
     * The origin's IPv4 addresses, resolved once when the instance starts.
     *
     * @throws InstanceException when the host cannot be resolved to any IPv4 address
     */
    List<Inet4Address> resolve(Expression expression) throws InstanceException;

    /**
     * Redirects the origin's traffic to the instance's port.
     *
     * @param await wait until the switch has confirmed the rules
     * @throws InstanceException when {@code await} and the switch did not confirm them in time
     */
    void redirect(Expression expression, List<Inet4Address> origins, int port, boolean await) throws InstanceException;

    /** Removes the instance's redirect and waits (bounded) for the switch to confirm. */
    void release(Expression expression, int port);
}
