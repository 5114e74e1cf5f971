package org.opencache.node.status;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.opencache.node.stats.InstanceView;
import org.opencache.node.store.ObjectStore;

/** What the status endpoint reports about the node; implemented by the node itself. */
public interface NodeStatusSource {

    /** The node's persistent identity. */
    String uuid();

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
}
