package org.opencache.node.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.Version;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * openflowj was built against Netty 4.1 ({@code netty-all}); this build gives it the single
 * Netty 4.2 {@code netty-buffer} that mongo-java-server also uses. These tests prove openflowj
 * still writes and reads the messages OpenCache sends, byte for byte, on that Netty.
 */
class OpenFlowNettyCompatibilityTest {
    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);

    @Test
    void buildRunsOnTheOneNettyTheParentPomPins() {
        String version = Version.identify().get("netty-buffer").artifactVersion();
        assertTrue(version.startsWith("4.2."), "netty-buffer " + version);
    }

    @Test
    void redirectFlowModRoundTripsThroughNettyByteBuf() {
        Match match = factory.buildMatch()
                .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                .setExact(MatchField.IPV4_DST, IPv4Address.of("10.0.0.2"))
                .setExact(MatchField.TCP_DST, TransportPort.of(80))
                .build();
        List<OFAction> actions = List.of(
                factory.actions().setField(factory.oxms().ethDst(MacAddress.of("02:00:00:00:00:03"))),
                factory.actions().setField(factory.oxms().ipv4Dst(IPv4Address.of("10.0.0.3"))),
                factory.actions().setField(factory.oxms().tcpDst(TransportPort.of(49003))),
                factory.actions().output(OFPort.NORMAL, 0xffff));
        OFFlowAdd flowAdd = factory.buildFlowAdd()
                .setXid(42)
                .setCookie(U64.of(0x0001_0000_0000_0003L))
                .setPriority(1000)
                .setHardTimeout(10)
                .setMatch(match)
                .setInstructions(List.of(factory.instructions().applyActions(actions)))
                .build();

        assertEquals(flowAdd, roundTrip(flowAdd));
    }

    @Test
    void helloWithVersionBitmapRoundTrips() {
        OFHello hello = factory.buildHello()
                .setXid(1)
                .setElements(List.of(factory.buildHelloElemVersionbitmap()
                        .setBitmaps(List.of(org.projectfloodlight.openflow.types.U32.of(1 << 4)))
                        .build()))
                .build();
        assertEquals(hello, roundTrip(hello));
    }

    private static OFMessage roundTrip(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            message.writeTo(buffer);
            OFMessage read = OFFactories.getGenericReader().readFrom(buffer);
            assertEquals(0, buffer.readableBytes(), "whole message consumed");
            return read;
        } catch (Exception e) {
            throw new AssertionError("openflowj failed on Netty " + Version.identify().get("netty-buffer"), e);
        } finally {
            buffer.release();
        }
    }
}
