package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opencache.common.keys.CurveKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZAP handler (ZeroMQ RFC 27) of the controller's CURVE-secured ROUTER: ZeroMQ asks it, during
 * each handshake, whether the connecting key may join. It accepts the authorized node keys and
 * names the connection's user id after the key ({@link #USER_ID_PREFIX} + Z85), which every
 * message from the connection then carries as its {@code User-Id} property; every other key is
 * refused before a single message of the peer is read, and logged once per key.
 *
 * <p>Its REP socket is bound to {@value #ENDPOINT} in the router's context before the router binds
 * (a CURVE server with no handler bound would let every key in), and it is served by the router's
 * own thread ({@link #answer()} when the socket is readable).
 */
final class ZapHandler {
    private static final Logger log = LoggerFactory.getLogger(ZapHandler.class);
    /** Where ZeroMQ sends ZAP requests, fixed by RFC 27. */
    static final String ENDPOINT = "inproc://zeromq.zap.01";
    /** The user id of a node authenticated by key: this prefix and its public key in Z85. */
    static final String USER_ID_PREFIX = "curve:";
    /** Refused keys logged at most; a flood of made-up keys must not grow memory without bound. */
    private static final int MAX_LOGGED = 1_000;

    private final ZMQ.Socket socket;
    private final Set<String> authorized;
    private final Set<String> refusedLogged = ConcurrentHashMap.newKeySet();

    ZapHandler(ZContext context, Set<CurveKey> authorized) {
        this.authorized = Set.copyOf(authorized.stream().map(CurveKey::z85).toList());
        this.socket = context.createSocket(SocketType.REP);
        socket.setLinger(0);
        socket.bind(ENDPOINT);
        if (authorized.isEmpty()) {
            log.warn("link_authorized_keys lists no node key: every node will be refused");
        }
    }

    /** The socket the router's poller watches. */
    ZMQ.Socket socket() {
        return socket;
    }

    /** Answers every waiting request; called on the router's thread. */
    void answer() {
        for (byte[] version = socket.recv(ZMQ.DONTWAIT); version != null; version = socket.recv(ZMQ.DONTWAIT)) {
            String[] frames = new String[5];
            frames[0] = new String(version, UTF_8);
            byte[] credentials = null;
            int count = 1;
            while (socket.hasReceiveMore()) {
                byte[] frame = socket.recv(0);
                if (count < frames.length) {
                    frames[count] = new String(frame, UTF_8);
                } else if (count == 6) {
                    credentials = frame; // the client's public key, for CURVE
                }
                count++;
            }
            reply(frames, credentials);
        }
    }

    /** Frames: version, request id, domain, address, identity (then mechanism and credentials). */
    private void reply(String[] frames, byte[] credentials) {
        String requestId = frames[1] == null ? "" : frames[1];
        String address = frames[3] == null ? "?" : frames[3];
        if (credentials == null || credentials.length != CurveKey.BYTES) {
            send(requestId, "400", "CURVE key expected", "");
            log.warn("refused a node link connection from {}: it offered no CURVE key", address);
            return;
        }
        String key = CurveKey.of(credentials).z85();
        if (authorized.contains(key)) {
            send(requestId, "200", "OK", USER_ID_PREFIX + key);
            return;
        }
        send(requestId, "400", "key not authorized", "");
        // Once per key: a refused node retries its connection ten times a second.
        if (refusedLogged.size() < MAX_LOGGED && refusedLogged.add(key)) {
            log.warn("refused a node link connection from {}: its key {} is not in link_authorized_keys "
                    + "(logged once per key)", address, key);
        }
    }

    private void send(String requestId, String status, String text, String userId) {
        socket.sendMore("1.0");
        socket.sendMore(requestId);
        socket.sendMore(status);
        socket.sendMore(text);
        socket.sendMore(userId);
        socket.send(new byte[0]);
    }

    void close() {
        socket.close();
    }
}
