package org.opencache.node.openflow;

import java.net.Inet4Address;
import java.util.List;

/**
 * What one instance asks of the switch: TCP to any of {@code origins} on {@code originPort} goes
 * to the node's {@code instancePort} instead. The origin's addresses are resolved once, when the
 * instance starts. No origins means every host: the {@code *} instance.
 *
 * @param instance     the instance's expression, for logs
 * @param origins      the origin's IPv4 addresses, first one primary; empty for {@code *}
 * @param originPort   the origin's TCP port
 * @param instancePort the instance's port on the node
 */
public record Redirect(String instance, List<Inet4Address> origins, int originPort, int instancePort) {
    /** Copies the address list. */
    public Redirect {
        origins = List.copyOf(origins);
    }

    /** Whether this is the {@code *} instance, which takes TCP to every host. */
    public boolean everyHost() {
        return origins.isEmpty();
    }
}
