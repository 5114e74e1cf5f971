package org.opencache.node.openflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** The switch answered some flow-mods of a batch with OFPT_ERROR; the message names each rule. */
public final class SwitchRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    SwitchRejectedException(InetSocketAddress address, List<String> errors) {
        super("switch " + address + " rejected " + String.join("; ", errors));
    }
}
