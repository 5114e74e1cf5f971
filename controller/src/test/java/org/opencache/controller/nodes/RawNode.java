package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import org.opencache.common.protocol.LinkEndpoint;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A node reduced to its socket, for tests that must send what a well-behaved node never would:
 * a DEALER with a chosen identity, sending and receiving frames by hand on the test's thread.
 */
final class RawNode implements AutoCloseable {
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);

    RawNode(String identity, int port) {
        dealer.setIdentity(identity.getBytes(UTF_8));
        dealer.setLinger(0);
        // JeroMQ may leave a fresh connection stuck before its handshake; retry it soon (zeromq/jeromq#1022).
        dealer.setHandshakeIvl(1_000);
        dealer.connect(LinkEndpoint.tcp("127.0.0.1", port));
    }

    void send(Message message) {
        sendFrames(MessageCodec.encode(message));
    }

    /** Sends one message made of these frames, as they are. */
    void sendFrames(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            dealer.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The next message from the controller; fails after {@code timeout}. */
    Message receive(Duration timeout) throws MalformedMessageException {
        dealer.setReceiveTimeOut((int) timeout.toMillis());
        byte[] frame = dealer.recv(0);
        if (frame == null) {
            fail("no message from the controller within " + timeout.toMillis() + " ms");
        }
        return MessageCodec.decode(frame);
    }

    /** Sends {@code request} and returns the controller's answer (the link answers in order). */
    Message.Response call(Message.Request request) throws MalformedMessageException {
        // Generous: the first message may wait out a stuck handshake.
        return call(request, Duration.ofSeconds(10));
    }

    /** {@link #call(Message.Request)} for a request that takes the controller long, e.g. a hello of many instances. */
    Message.Response call(Message.Request request, Duration timeout) throws MalformedMessageException {
        send(request);
        return (Message.Response) receive(timeout);
    }

    @Override
    public void close() {
        context.close();
    }
}
