package org.opencache.node.openflow;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The cookie of a node's rules: the node in the high 32 bits, the instance (its port, unique on
 * the node while the instance exists) in the low 32. The node part comes from the node's
 * persistent UUID rather than the controller's node-id, because rules are installed for restored
 * instances before the controller has been reached; it stays the same across restarts, so a
 * restarted node finds and replaces what its previous life left on the switch.
 */
public final class RedirectCookie {
    /** Selects every rule of one node. */
    public static final long NODE_MASK = 0xffff_ffff_0000_0000L;
    /** Selects exactly one instance's rules. */
    public static final long EXACT_MASK = -1L;

    private RedirectCookie() {
    }

    /** The node part, derived from the node's UUID. */
    public static long node(String nodeUuid) {
        CRC32 crc = new CRC32();
        crc.update(nodeUuid.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() << 32;
    }

    /** The cookie of one instance's rules. */
    public static long of(long node, int instancePort) {
        return node | (instancePort & 0xffff_ffffL);
    }
}
