package org.opencache.node.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** Encodes an OpenFlow message to bytes and decodes it again, as the wire would. */
final class FlowCodec {
    private FlowCodec() {
    }

    /** The message after a trip through its wire form. */
    static OFMessage roundTrip(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            message.writeTo(buffer);
            return OFFactories.getGenericReader().readFrom(buffer);
        } catch (OFParseError e) {
            throw new IllegalStateException("openflowj cannot read what it wrote: " + message, e);
        } finally {
            buffer.release();
        }
    }
}
