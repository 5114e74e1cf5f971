package org.opencache.node.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.opencache.node.stats.InstanceView;
import org.opencache.node.store.ObjectStore;

/** What the status endpoint reports about the node; implemented by the node itself. */
public interface NodeStatusSource {

    /**
     * The node's public CURVE key of the link to the controller (docs/design.md §5), when the link
     * is secured; public by nature, and what the controller knows the node by. The node's uuid is
     * not reported: on a plain link it is what the controller knows the node by, so it is kept
     * off pages others can read.
     */
    Optional<String> linkPublicKey();

    /** The id the controller gave it, once registered. */
    OptionalInt nodeId();

    /** When the node started. */
    Instant startedAt();

    /** Whether the controller currently answers. */
    boolean controllerConnected();

    /** Every instance with its live counters. */
    List<InstanceView> instances();

    /** The node's storage. */
    ObjectStore store();

    /** Access log lines dropped since start (queue full, or the file failed); 0 without an access log. */
    default long accessLogDropped() {
        return 0;
    }
}
