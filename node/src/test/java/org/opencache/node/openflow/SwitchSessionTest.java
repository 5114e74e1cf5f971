package org.opencache.node.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencache.testing.Await;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;

/**
 * The session's protocol handling against a scripted OpenFlow peer that speaks real bytes over
 * loopback: handshake, reconcile, barrier confirmation, switch errors mapped to their rule, echo
 * answers, and reconnecting. A unit test of the session only; RedirectE2EIT proves it on Open vSwitch.
 */
class SwitchSessionTest {
    private static final long NODE = RedirectCookie.node("session-test");
    private final RedirectRule desired = new RedirectRule("request-in test", RedirectCookie.of(NODE, 49003),
            RedirectRule.REDIRECT_PRIORITY, 10, new RedirectRule.Match(null, null, 0, 80), RedirectRule.Rewrite.NONE);
    private ServerSocket listener;
    private SwitchSession session;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(10_000);
        session = new SwitchSession(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                NODE, () -> List.of(desired), Duration.ofSeconds(1)).start();
    }

    @AfterEach
    void close() throws IOException {
        session.close();
        listener.close();
    }

    @Test
    void handshakeReconcileConfirmAndSwitchErrorsNamedByRule() throws Exception {
        try (Peer peer = new Peer(listener.accept())) {
            peer.handshake();
            List<OFMessage> batch = peer.readBatch();
            OFFlowDelete delete = assertInstanceOf(OFFlowDelete.class, batch.get(0));
            assertEquals(NODE, delete.getCookie().getValue());
            assertEquals(RedirectCookie.NODE_MASK, delete.getCookieMask().getValue());
            assertEquals(desired.cookie(), assertInstanceOf(OFFlowAdd.class, batch.get(1)).getCookie().getValue());
            peer.confirm(batch);
            awaitConnected();
            assertEquals(0x42, session.datapathId());

            peer.send(FlowMods.OF13.buildEchoRequest().setXid(77).build());
            assertEquals(77, peer.readUntil(OFEchoReply.class).getXid());

            CompletableFuture<Void> ok = session.add(List.of(desired));
            peer.confirm(peer.readBatch());
            ok.get(5, TimeUnit.SECONDS);

            CompletableFuture<Void> rejected = session.add(List.of(desired));
            List<OFMessage> bad = peer.readBatch();
            peer.send(FlowMods.OF13.errorMsgs().buildBadActionErrorMsg().setXid(bad.get(0).getXid())
                    .setCode(OFBadActionCode.BAD_OUT_PORT).setData(OFErrorCauseData.NONE).build());
            peer.confirm(bad);
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> rejected.get(5, TimeUnit.SECONDS));
            assertInstanceOf(SwitchRejectedException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("request-in test"), failure.getCause().getMessage());
            assertTrue(failure.getCause().getMessage().contains("BAD_OUT_PORT"), failure.getCause().getMessage());
        }
    }

    @Test
    void lostSessionIsReopenedAndTheDesiredRulesPushedAgain() throws Exception {
        try (Peer first = new Peer(listener.accept())) {
            first.handshake();
            first.confirm(first.readBatch());
            awaitConnected();
        }
        try (Peer second = new Peer(listener.accept())) {
            second.handshake();
            List<OFMessage> batch = second.readBatch();
            assertInstanceOf(OFFlowDelete.class, batch.get(0));
            assertEquals(desired.cookie(), assertInstanceOf(OFFlowAdd.class, batch.get(1)).getCookie().getValue());
            second.confirm(batch);
            awaitConnected();
        }
    }

    @Test
    void withoutASessionAnAddCompletesWithTheNextReconcile() throws Exception {
        CompletableFuture<Void> pending = session.add(List.of(desired));
        try (Peer peer = new Peer(listener.accept())) {
            peer.handshake();
            peer.confirm(peer.readBatch());
            pending.get(5, TimeUnit.SECONDS);
        }
    }

    private void awaitConnected() {
        Await.until("session up", Duration.ofSeconds(5), session::isConnected);
    }

    /** The switch's side, scripted: real OpenFlow 1.3 bytes on a socket. */
    private static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void handshake() throws IOException {
            OFHello hello = assertInstanceOf(OFHello.class, read());
            assertEquals(1, hello.getElements().size(), "version bitmap");
            send(FlowMods.OF13.buildHello().setXid(1).build());
            OFFeaturesRequest features = assertInstanceOf(OFFeaturesRequest.class, read());
            send(FlowMods.OF13.buildFeaturesReply().setXid(features.getXid()).setDatapathId(DatapathId.of(0x42))
                    .setNBuffers(0).setNTables((short) 1).build());
            assertTrue(assertInstanceOf(OFSetConfig.class, read()).getMissSendLen() > 0, "non-zero miss_send_len");
        }

        /** Messages up to and including the next barrier request, skipping the session's echoes. */
        List<OFMessage> readBatch() throws IOException {
            List<OFMessage> batch = new ArrayList<>();
            while (batch.isEmpty() || !(batch.get(batch.size() - 1) instanceof OFBarrierRequest)) {
                OFMessage message = read();
                if (message.getType() != org.projectfloodlight.openflow.protocol.OFType.ECHO_REQUEST) {
                    batch.add(message);
                }
            }
            return batch;
        }

        void confirm(List<OFMessage> batch) throws IOException {
            send(FlowMods.OF13.buildBarrierReply().setXid(batch.get(batch.size() - 1).getXid()).build());
        }

        <T extends OFMessage> T readUntil(Class<T> type) throws IOException {
            while (true) {
                OFMessage message = read();
                if (type.isInstance(message)) {
                    return type.cast(message);
                }
            }
        }

        OFMessage read() throws IOException {
            byte[] header = new byte[8];
            in.readFully(header);
            int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            byte[] whole = new byte[length];
            System.arraycopy(header, 0, whole, 0, 8);
            in.readFully(whole, 8, length - 8);
            ByteBuf buffer = Unpooled.wrappedBuffer(whole);
            try {
                return OFFactories.getGenericReader().readFrom(buffer);
            } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
                throw new IOException(e);
            } finally {
                buffer.release();
            }
        }

        void send(OFMessage message) throws IOException {
            ByteBuf buffer = Unpooled.buffer();
            try {
                message.writeTo(buffer);
                buffer.readBytes(out, buffer.readableBytes());
                out.flush();
            } finally {
                buffer.release();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
