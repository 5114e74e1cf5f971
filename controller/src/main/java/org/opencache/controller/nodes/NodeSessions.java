package org.opencache.controller.nodes;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes connected to this controller: those that said hello since it started and have not
 * gone down since. A session is found by its sender (the node's uuid on a plain link, its key
 * {@code curve:KEY} with CURVE; see {@link RouterLoop}) and by its node-id, and knows the routing
 * identity of the connection the node was last heard on, where commands go.
 *
 * <p>Thread-safe. Sessions are opened and closed on the link's handler thread only; command
 * senders and the I/O thread read them and record when a node was last heard from.
 */
final class NodeSessions {

    /**
     * One connected node. {@link #lastHeard} and the route are updated by whichever thread hears
     * from it.
     */
    static final class Session {
        private final int nodeId;
        private final String sender;
        private volatile byte[] route;
        private volatile Instant lastHeard;

        private Session(int nodeId, String sender, byte[] route, Instant lastHeard) {
            this.nodeId = nodeId;
            this.sender = sender;
            this.route = route.clone();
            this.lastHeard = lastHeard;
        }

        int nodeId() {
            return nodeId;
        }

        /** Who the node is to the link: its uuid, or {@code curve:KEY}. */
        String sender() {
            return sender;
        }

        /** The routing identity of the connection the node was last heard on; commands go there. */
        byte[] identity() {
            return route.clone();
        }

        /**
         * The node was heard on the connection named {@code identity}. With CURVE the router names
         * each new connection afresh (a node that reconnected is known by its key, not by a name), so
         * the route follows the node's latest message; on a plain link it is always the uuid.
         */
        void routeVia(byte[] identity) {
            if (!Arrays.equals(route, identity)) {
                route = identity.clone();
            }
        }

        Instant lastHeard() {
            return lastHeard;
        }

        void heard(Instant now) {
            lastHeard = now;
        }

        @Override
        public String toString() {
            return "node " + nodeId + " (" + sender + ")";
        }
    }

    private final Map<String, Session> bySender = new ConcurrentHashMap<>();
    private final Map<Integer, Session> byNodeId = new ConcurrentHashMap<>();

    /**
     * Opens (or reopens, after a node restart) the session of a node that said hello.
     *
     * @param identity the routing identity its hello came on
     */
    Session open(int nodeId, String sender, byte[] identity, Instant now) {
        Session session = new Session(nodeId, sender, identity, now);
        bySender.put(sender, session);
        byNodeId.put(nodeId, session);
        return session;
    }

    /** The session of the node {@code sender} ({@link RouterLoop.Inbound#received}). */
    Optional<Session> bySender(String sender) {
        return Optional.ofNullable(bySender.get(sender));
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
        return bySender.remove(session.sender(), session);
    }

    /** Every open session. */
    List<Session> all() {
        return List.copyOf(bySender.values());
    }
}
