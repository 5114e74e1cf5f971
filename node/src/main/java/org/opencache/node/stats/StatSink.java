package org.opencache.node.stats;

import java.util.List;
import org.opencache.common.protocol.InstanceStats;

/** Where statistics and alerts go: the controller link, in production. Must not block. */
public interface StatSink {

    /** One report: the counters of every instance. */
    void stats(List<InstanceStats> stats);

    /**
     * An alert: {@code type} is {@code load} (requests/s) or {@code disk} (bytes); {@code expr} is
     * the instance it concerns, null for one about the whole node.
     */
    void alert(String type, double value, String expr);
}
