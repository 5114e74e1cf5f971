package org.opencache.controller.state;

import java.time.Instant;

/**
 * A node as the controller knows it; one document of the {@code nodes} collection.
 *
 * <pre>{"node-id": 1, "uuid": "5f0c…", "host": "10.0.0.3", "node_port": 49002,
 *  "status": "up", "last_seen": ISODate(…), "version": "0.1.0"}</pre>
 *
 * @param nodeId   small integer, stable for a uuid across restarts
 * @param uuid     the node's persistent identity (kept in its {@code cache_path})
 * @param host     address the node's instances listen on
 * @param nodePort the node's status/metrics HTTP port
 * @param status   up or down
 * @param lastSeen when the controller last heard from it
 * @param version  the version the node gave in its last hello; {@code unknown} when it gave none
 *                 (or registered before versions were stored)
 */
public record NodeRecord(int nodeId, String uuid, String host, int nodePort, NodeStatus status, Instant lastSeen,
        String version) {
}
