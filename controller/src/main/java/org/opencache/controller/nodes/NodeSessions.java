package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes connected to this controller: those that said hello since it started and have not
 * gone down since. A node's socket identity is its uuid, so the uuid of a frame's sender finds
 * its session, and a command's node-id finds the identity to route it to.
 *
 * <p>Thread-safe. Sessions are opened and closed on the link's handler thread only; command
 * senders and the I/O thread read them and record when a node was last heard from.
 */
final class NodeSessions {

    /** One connected node. {@link #lastHeard} is updated by whichever thread hears from it. */
    static final class Session {
        private final int nodeId;
        private final String uuid;
        private volatile Instant lastHeard;

        private Session(int nodeId, String uuid, Instant lastHeard) {
            this.nodeId = nodeId;
            this.uuid = uuid;
            this.lastHeard = lastHeard;
        }

        int nodeId() {
            return nodeId;
        }

        String uuid() {
            return uuid;
        }

        /** The socket identity messages to this node are routed by. */
        byte[] identity() {
            return uuid.getBytes(UTF_8);
        }

        Instant lastHeard() {
            return lastHeard;
        }

        void heard(Instant now) {
            lastHeard = now;
        }

        @Override
        public String toString() {
            return "node " + nodeId + " (" + uuid + ")";
        }
    }

    private final Map<String, Session> byUuid = new ConcurrentHashMap<>();
    private final Map<Integer, Session> byNodeId = new ConcurrentHashMap<>();

    /** Opens (or reopens, after a node restart) the session of a node that said hello. */
    Session open(int nodeId, String uuid, Instant now) {
        Session session = new Session(nodeId, uuid, now);
        byUuid.put(uuid, session);
        byNodeId.put(nodeId, session);
        return session;
    }

    /** The session of the node whose socket identity is {@code uuid}. */
    Optional<Session> byUuid(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    /** The session of node {@code nodeId}, if it is connected. */
    Optional<Session> byNodeId(int nodeId) {
        return Optional.ofNullable(byNodeId.get(nodeId));
    }

    /**
     * Closes {@code session} (goodbye, or silence); returns false when it was already closed or
     * replaced by a newer hello, which must not be undone.
     */
    boolean close(Session session) {
        byNodeId.remove(session.nodeId(), session);
        return byUuid.remove(session.uuid(), session);
    }

    /** Every open session. */
    List<Session> all() {
        return List.copyOf(byUuid.values());
    }
}
