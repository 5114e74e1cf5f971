package org.opencache.node.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.U32;

/**
 * One OpenFlow 1.3 connection over a blocking socket: message framing, the handshake, and
 * writes. openflowj only encodes and decodes; the bytes travel through plain Java I/O, so the
 * node needs no Netty event loop. Writes are serialised by the caller ({@link SwitchSession}).
 */
final class OpenFlowChannel implements AutoCloseable {
    /** Wire version of OpenFlow 1.3. */
    static final int OF13_WIRE = 4;
    private static final int HEADER = 8;
    private static final int TYPE_HELLO = 0;
    /** Bytes of a table-miss packet the switch may send us; non-zero so Open vSwitch sends FLOW_REMOVED. */
    private static final int MISS_SEND_LEN = 128;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    OpenFlowChannel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /**
     * HELLO with a version bitmap of 1.3 only, FEATURES_REQUEST, SET_CONFIG; answers the
     * switch's echoes meanwhile.
     *
     * @return the switch's datapath id
     * @throws IOException when the switch refuses 1.3, reports an error or the connection fails
     */
    long handshake(LongSupplier xids) throws IOException {
        write(List.of(FlowMods.OF13.buildHello().setXid(xids.getAsLong())
                .setElements(List.of(FlowMods.OF13.buildHelloElemVersionbitmap()
                        .setBitmaps(List.of(U32.of(1L << OF13_WIRE))).build()))
                .build()));
        awaitHello();
        write(List.of(FlowMods.OF13.buildFeaturesRequest().setXid(xids.getAsLong()).build()));
        while (true) {
            OFMessage message = read();
            if (message instanceof OFFeaturesReply features) {
                write(List.of(FlowMods.OF13.buildSetConfig().setXid(xids.getAsLong())
                        .setFlags(Set.of()).setMissSendLen(MISS_SEND_LEN).build()));
                return features.getDatapathId().getLong();
            } else if (message instanceof OFEchoRequest echo) {
                answer(echo);
            } else if (message instanceof OFErrorMsg error) {
                throw new IOException("switch refused the handshake: " + describe(error));
            }
        }
    }

    private void awaitHello() throws IOException {
        byte[] header = new byte[HEADER];
        in.readFully(header);
        int version = header[0] & 0xff;
        int type = header[1] & 0xff;
        int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        in.skipNBytes(Math.max(0, length - HEADER));
        if (type != TYPE_HELLO) {
            throw new IOException("switch sent message type " + type + " before HELLO");
        }
        // A switch that cannot speak 1.3 answers the bitmap with an error, read by the caller;
        // a version below 1.3 without one means it ignored the bitmap.
        if (version < OF13_WIRE) {
            throw new IOException("switch speaks OpenFlow wire version " + version + " at most; 1.3 (4) is needed");
        }
    }

    /** Reads the next message the node understands; others are skipped. */
    OFMessage read() throws IOException {
        while (true) {
            byte[] header = new byte[HEADER];
            in.readFully(header);
            int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            if (length < HEADER) {
                throw new IOException("malformed OpenFlow message of length " + length);
            }
            byte[] whole = new byte[length];
            System.arraycopy(header, 0, whole, 0, HEADER);
            in.readFully(whole, HEADER, length - HEADER);
            if ((header[0] & 0xff) != OF13_WIRE) {
                throw new IOException("switch sent OpenFlow wire version " + (header[0] & 0xff) + " after agreeing on 1.3");
            }
            ByteBuf buffer = Unpooled.wrappedBuffer(whole);
            try {
                OFMessage message = OFFactories.getGenericReader().readFrom(buffer);
                if (message != null) {
                    return message;
                }
            } catch (OFParseError e) {
                // Vendor messages and the like: nothing the node needs.
                continue;
            } finally {
                buffer.release();
            }
        }
    }

    /** Writes the messages and flushes once. */
    void write(List<? extends OFMessage> messages) throws IOException {
        ByteBuf buffer = Unpooled.buffer();
        try {
            for (OFMessage message : messages) {
                message.writeTo(buffer);
            }
            buffer.readBytes(out, buffer.readableBytes());
            out.flush();
        } finally {
            buffer.release();
        }
    }

    /** Answers the switch's liveness probe with the same xid and data. */
    void answer(OFEchoRequest echo) throws IOException {
        write(List.of(FlowMods.OF13.buildEchoReply().setXid(echo.getXid()).setData(echo.getData()).build()));
    }

    /** An error message without the echoed request bytes, for logs. */
    static String describe(OFErrorMsg error) {
        String text = error.toString();
        int data = text.indexOf(", data=");
        return data < 0 ? text : text.substring(0, data) + ")";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
