package org.opencache.node.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;

/** The redirect rules of docs/design.md §7, read back from the bytes the switch would receive. */
class FlowModsTest {
    private static final long NODE = RedirectCookie.node("node-uuid");
    private final Inet4Address cache = ipv4("10.77.0.3");
    private final Inet4Address origin = ipv4("10.77.0.2");
    private final Inet4Address second = ipv4("10.77.0.9");
    private final RedirectRules rules = new RedirectRules(NODE, cache, "02:00:00:00:00:03", 10);
    private final Redirect redirect = new Redirect("origin.test", List.of(origin, second), 80, 49003);

    @Test
    void handsOffForEveryOriginAddressAboveTheRedirect() {
        List<RedirectRule> built = rules.rules(redirect);
        assertEquals(4, built.size(), built.toString());
        for (int i = 0; i < 2; i++) {
            OFFlowAdd handsOff = decode(built.get(i));
            assertEquals(RedirectRule.HANDS_OFF_PRIORITY, handsOff.getPriority());
            Match match = handsOff.getMatch();
            assertTcp(match);
            assertEquals(IPv4Address.of(cache), match.get(MatchField.IPV4_SRC));
            assertEquals(IPv4Address.of(i == 0 ? origin : second), match.get(MatchField.IPV4_DST));
            assertEquals(TransportPort.of(80), match.get(MatchField.TCP_DST));
            assertEquals(List.of(), setFields(handsOff), "hands-off rewrites nothing");
            assertNormal(handsOff);
        }
        assertTrue(RedirectRule.HANDS_OFF_PRIORITY > RedirectRule.REDIRECT_PRIORITY);
    }

    @Test
    void requestInRewritesDestinationToTheInstance() {
        OFFlowAdd requestIn = decode(rules.rules(redirect).get(2));
        assertEquals(RedirectRule.REDIRECT_PRIORITY, requestIn.getPriority());
        Match match = requestIn.getMatch();
        assertTcp(match);
        assertNull(match.get(MatchField.IPV4_SRC), "any client");
        assertEquals(IPv4Address.of(origin), match.get(MatchField.IPV4_DST));
        assertEquals(TransportPort.of(80), match.get(MatchField.TCP_DST));
        assertEquals(List.of("eth_dst=02:00:00:00:00:03", "ipv4_dst=10.77.0.3", "tcp_dst=49003"), setFields(requestIn));
        assertNormal(requestIn);
    }

    @Test
    void responseOutRestoresTheOriginWithoutTouchingEthSrc() {
        OFFlowAdd responseOut = decode(rules.rules(redirect).get(3));
        assertEquals(RedirectRule.REDIRECT_PRIORITY, responseOut.getPriority());
        Match match = responseOut.getMatch();
        assertTcp(match);
        assertEquals(IPv4Address.of(cache), match.get(MatchField.IPV4_SRC));
        assertEquals(TransportPort.of(49003), match.get(MatchField.TCP_SRC));
        assertNull(match.get(MatchField.IPV4_DST));
        assertEquals(List.of("ipv4_src=10.77.0.2", "tcp_src=80"), setFields(responseOut));
        assertFalse(setFields(responseOut).stream().anyMatch(field -> field.startsWith("eth_src")));
        assertNormal(responseOut);
    }

    @Test
    void everyRuleCarriesTheInstanceCookieAndTheLease() {
        long cookie = RedirectCookie.of(NODE, 49003);
        assertEquals(NODE, cookie & RedirectCookie.NODE_MASK, "node part");
        assertEquals(49003, cookie & 0xffff_ffffL, "instance part");
        for (RedirectRule rule : rules.rules(redirect)) {
            OFFlowAdd add = decode(rule);
            assertEquals(cookie, add.getCookie().getValue());
            assertEquals(10, add.getHardTimeout());
            assertEquals(0, add.getIdleTimeout());
            assertEquals(TableId.of(0), add.getTableId());
        }
    }

    @Test
    void everyHostDeliversPort80ToTheNodeMacUnchangedBelowSpecificRedirects() {
        List<RedirectRule> built = rules.rules(new Redirect("*", List.of(), 80, 49010));
        assertEquals(2, built.size(), built.toString());
        OFFlowAdd handsOff = decode(built.get(0));
        assertEquals(RedirectRule.HANDS_OFF_PRIORITY, handsOff.getPriority());
        assertEquals(IPv4Address.of(cache), handsOff.getMatch().get(MatchField.IPV4_SRC));
        assertEquals(TransportPort.of(80), handsOff.getMatch().get(MatchField.TCP_DST));
        assertEquals(List.of(), setFields(handsOff));
        OFFlowAdd intercept = decode(built.get(1));
        assertTrue(RedirectRule.EVERY_HOST_PRIORITY < RedirectRule.REDIRECT_PRIORITY);
        assertEquals(RedirectRule.EVERY_HOST_PRIORITY, intercept.getPriority());
        assertTcp(intercept.getMatch());
        assertNull(intercept.getMatch().get(MatchField.IPV4_DST), "every host");
        assertEquals(TransportPort.of(80), intercept.getMatch().get(MatchField.TCP_DST));
        assertEquals(List.of("eth_dst=02:00:00:00:00:03"), setFields(intercept), "addresses left to the node's kernel");
        assertNormal(intercept);
        assertEquals(RedirectCookie.of(NODE, 49010), intercept.getCookie().getValue());
    }

    @Test
    void deleteByCookieCoversEveryTable() {
        OFFlowDelete delete = (OFFlowDelete) FlowCodec.roundTrip(
                FlowMods.deleteByCookie(NODE, RedirectCookie.NODE_MASK, 5));
        assertEquals(NODE, delete.getCookie().getValue());
        assertEquals(RedirectCookie.NODE_MASK, delete.getCookieMask().getValue());
        assertEquals(TableId.ALL, delete.getTableId());
        assertEquals(OFPort.ANY, delete.getOutPort());
    }

    @Test
    void nodeCookieIsStableAndDiffersBetweenNodes() {
        assertEquals(RedirectCookie.node("a"), RedirectCookie.node("a"));
        assertTrue(RedirectCookie.node("a") != RedirectCookie.node("b"));
        assertEquals(0, RedirectCookie.node("a") & 0xffff_ffffL);
    }

    private static OFFlowAdd decode(RedirectRule rule) {
        return (OFFlowAdd) FlowCodec.roundTrip(FlowMods.add(rule, 7));
    }

    private static void assertTcp(Match match) {
        assertEquals(EthType.IPv4, match.get(MatchField.ETH_TYPE));
        assertEquals(IpProtocol.TCP, match.get(MatchField.IP_PROTO));
    }

    private static List<OFAction> actions(OFFlowAdd add) {
        assertEquals(1, add.getInstructions().size());
        return ((OFInstructionApplyActions) add.getInstructions().get(0)).getActions();
    }

    private static List<String> setFields(OFFlowAdd add) {
        return actions(add).stream().filter(OFActionSetField.class::isInstance)
                .map(action -> {
                    OFOxm<?> oxm = ((OFActionSetField) action).getField();
                    return oxm.getMatchField().getName() + "=" + oxm.getValue();
                }).toList();
    }

    private static void assertNormal(OFFlowAdd add) {
        List<OFAction> actions = actions(add);
        OFAction last = actions.get(actions.size() - 1);
        assertEquals(OFPort.NORMAL, ((OFActionOutput) last).getPort());
    }

    private static Inet4Address ipv4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
