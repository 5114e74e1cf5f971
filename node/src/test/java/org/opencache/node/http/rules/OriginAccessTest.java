package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.AddressRange;
import org.opencache.common.expr.Expression;

/** Which resolved addresses an instance may connect to (docs/design.md §6, "Origin addresses"). */
class OriginAccessTest {
    private static final Set<InetAddress> NODE = Set.of(address("10.0.0.3"), address("2001:db8::3"));

    private static InetAddress address(String literal) {
        return AddressRange.literal(literal).orElseThrow();
    }

    private static OriginAccess access(String expression, String... deny) throws Exception {
        return OriginAccess.forInstance(Expression.parse(expression),
                List.of(deny).stream().map(AddressRange::parse).toList());
    }

    private static Optional<OriginAccess.Reason> reason(OriginAccess access, String address) {
        return access.check(address(address), NODE).map(OriginAccess.Refusal::reason);
    }

    @Test
    void wildcardRefusesLoopbackLinkLocalUnspecifiedAndTheNodesOwnAddresses() throws Exception {
        OriginAccess wildcard = access("*");
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(wildcard, "127.0.0.1"));
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(wildcard, "127.1.2.3"));
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(wildcard, "::1"));
        assertEquals(Optional.of(OriginAccess.Reason.LINK_LOCAL), reason(wildcard, "169.254.169.254"));
        assertEquals(Optional.of(OriginAccess.Reason.LINK_LOCAL), reason(wildcard, "fe80::1"));
        assertEquals(Optional.of(OriginAccess.Reason.UNSPECIFIED), reason(wildcard, "0.0.0.0"));
        assertEquals(Optional.of(OriginAccess.Reason.UNSPECIFIED), reason(wildcard, "::"));
        assertEquals(Optional.of(OriginAccess.Reason.NODE_ADDRESS), reason(wildcard, "10.0.0.3"));
        assertEquals(Optional.of(OriginAccess.Reason.NODE_ADDRESS), reason(wildcard, "2001:db8::3"));
        assertEquals(Optional.empty(), reason(wildcard, "10.0.0.4"));
        assertEquals(Optional.empty(), reason(wildcard, "2001:db8::4"));
    }

    @Test
    void ipv4MappedLoopbackIsLoopback() throws Exception {
        // How a resolver may hand over an IPv4 address on an IPv6 socket.
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(access("*"), "::ffff:127.0.0.1"));
    }

    @Test
    void hostNameExpressionGetsNoExemptionWhateverItResolvesTo() throws Exception {
        OriginAccess named = access("localhost:8080");
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(named, "127.0.0.1"));
        assertEquals(Optional.of(OriginAccess.Reason.LINK_LOCAL), reason(access("metadata.example"), "169.254.169.254"));
    }

    @Test
    void expressionNamingAnAddressLiterallyReachesThatAddressOnly() throws Exception {
        OriginAccess loopback = access("127.0.0.1:8080");
        assertEquals(Optional.empty(), reason(loopback, "127.0.0.1"));
        assertEquals(Optional.of(OriginAccess.Reason.LOOPBACK), reason(loopback, "127.0.0.2"));
        assertEquals(Optional.empty(), reason(access("[::1]:8080"), "::1"));
        assertEquals(Optional.empty(), reason(access("169.254.169.254"), "169.254.169.254"));
        assertEquals(Optional.empty(), reason(access("10.0.0.3:9000/videos"), "10.0.0.3"));
    }

    @Test
    void originDenyRefusesItsBlocksEvenToAnExpressionNamingThem() throws Exception {
        OriginAccess wildcard = access("*", "192.168.0.0/16", "fd00::/8");
        OriginAccess.Refusal refusal = wildcard.check(address("192.168.7.1"), NODE).orElseThrow();
        assertEquals(OriginAccess.Reason.DENIED, refusal.reason());
        assertEquals("192.168.7.1 is in origin_deny block 192.168.0.0/16", refusal.describe());
        assertEquals("origin-denied", refusal.reason().detail());
        assertEquals(Optional.of(OriginAccess.Reason.DENIED), reason(wildcard, "fd12::1"));
        assertEquals(Optional.empty(), reason(wildcard, "192.169.0.1"));
        assertEquals(Optional.of(OriginAccess.Reason.DENIED), reason(access("192.168.7.1", "192.168.0.0/16"), "192.168.7.1"));
    }

    @Test
    void unrestrictedRefusesNothing() {
        assertEquals(Optional.empty(), OriginAccess.unrestricted().check(address("127.0.0.1"), NODE));
        assertEquals(Optional.empty(), OriginAccess.unrestricted().check(address("10.0.0.3"), NODE));
    }

    @Test
    void equalRulesAreEqualSoTheyShareConnectionPools() throws Exception {
        assertEquals(access("*", "10.0.0.0/8"), access("*", "10.0.0.0/8"));
        assertEquals(access("example.com"), access("example.org:8080"));
    }
}
