package org.opencache.node.openflow;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The one place where {@link RedirectRule}s become OpenFlow 1.3 flow-mods. Every field is set
 * explicitly (priority, table, buffer, flags), because openflowj's builders default to zeros
 * that would quietly mean something else.
 */
final class FlowMods {
    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final int NO_BUFFER_MAX_LEN = 0xffff;

    private FlowMods() {
    }

    /** An ADD of the rule; over an existing identical rule it replaces it and restarts its timeout. */
    static OFFlowAdd add(RedirectRule rule, long xid) {
        return OF13.buildFlowAdd()
                .setXid(xid)
                .setTableId(TableId.of(0))
                .setCookie(U64.of(rule.cookie()))
                .setPriority(rule.priority())
                .setHardTimeout(rule.hardTimeout())
                .setIdleTimeout(0)
                .setBufferId(OFBufferId.NO_BUFFER)
                .setFlags(Set.of())
                .setMatch(match(rule.match()))
                .setInstructions(List.of(OF13.instructions().applyActions(actions(rule.rewrite()))))
                .build();
    }

    /** Deletes, in every table, the rules whose cookie equals {@code cookie} under {@code mask}. */
    static OFFlowDelete deleteByCookie(long cookie, long mask, long xid) {
        return OF13.buildFlowDelete()
                .setXid(xid)
                .setTableId(TableId.ALL)
                .setCookie(U64.of(cookie))
                .setCookieMask(U64.of(mask))
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY)
                .setBufferId(OFBufferId.NO_BUFFER)
                .setMatch(OF13.buildMatch().build())
                .build();
    }

    private static Match match(RedirectRule.Match match) {
        Match.Builder builder = OF13.buildMatch()
                .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IP_PROTO, IpProtocol.TCP);
        if (match.ipv4Src() != null) {
            builder.setExact(MatchField.IPV4_SRC, ipv4(match.ipv4Src()));
        }
        if (match.ipv4Dst() != null) {
            builder.setExact(MatchField.IPV4_DST, ipv4(match.ipv4Dst()));
        }
        if (match.tcpSrc() != 0) {
            builder.setExact(MatchField.TCP_SRC, TransportPort.of(match.tcpSrc()));
        }
        if (match.tcpDst() != 0) {
            builder.setExact(MatchField.TCP_DST, TransportPort.of(match.tcpDst()));
        }
        return builder.build();
    }

    private static List<OFAction> actions(RedirectRule.Rewrite rewrite) {
        List<OFAction> actions = new ArrayList<>();
        if (rewrite.ethDst() != null) {
            actions.add(OF13.actions().setField(OF13.oxms().ethDst(MacAddress.of(rewrite.ethDst()))));
        }
        if (rewrite.ipv4Src() != null) {
            actions.add(OF13.actions().setField(OF13.oxms().ipv4Src(ipv4(rewrite.ipv4Src()))));
        }
        if (rewrite.ipv4Dst() != null) {
            actions.add(OF13.actions().setField(OF13.oxms().ipv4Dst(ipv4(rewrite.ipv4Dst()))));
        }
        if (rewrite.tcpSrc() != 0) {
            actions.add(OF13.actions().setField(OF13.oxms().tcpSrc(TransportPort.of(rewrite.tcpSrc()))));
        }
        if (rewrite.tcpDst() != 0) {
            actions.add(OF13.actions().setField(OF13.oxms().tcpDst(TransportPort.of(rewrite.tcpDst()))));
        }
        actions.add(OF13.actions().output(OFPort.NORMAL, NO_BUFFER_MAX_LEN));
        return actions;
    }

    private static IPv4Address ipv4(Inet4Address address) {
        return IPv4Address.of(address);
    }
}
