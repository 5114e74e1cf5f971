package org.opencache.node.http.rules;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.opencache.common.config.AddressRange;
import org.opencache.common.expr.Expression;

/**
 * Which addresses an instance may fetch from (docs/design.md §6, "Origin addresses"), so that
 * {@code *} is not an open proxy into the node's own machine and network: loopback, link-local,
 * the unspecified address and the node's own addresses are refused unless the instance's
 * expression names that very address as a literal ({@code 127.0.0.1:8080}: whoever started such
 * an instance asked for it), and every block of {@code origin_deny} is refused always (the node
 * operator's limit, which no command from the controller lifts).
 *
 * <p>A rule about one resolved address, decided before the connection is opened to that same
 * address (the origin client checks what it connects to, so a name that resolves to something
 * else the next time gains nothing). A record, so equal rules share the origin client's
 * connection pools.
 *
 * @param named      the address the expression names literally, or null (a host name, or {@code *})
 * @param deny       the blocks of {@code origin_deny}
 * @param restricted false only for {@link #unrestricted()}
 */
public record OriginAccess(InetAddress named, List<AddressRange> deny, boolean restricted) {

    /** Why an address is refused; {@link #detail()} is the RFC 9211 {@code detail} token sent. */
    public enum Reason {
        /** 127.0.0.0/8, ::1. */
        LOOPBACK("origin-loopback", "a loopback address"),
        /** 169.254.0.0/16, fe80::/10 (cloud metadata services live here). */
        LINK_LOCAL("origin-link-local", "a link-local address"),
        /** 0.0.0.0, :: (a connect to it reaches this machine). */
        UNSPECIFIED("origin-unspecified", "the unspecified address, which reaches this machine"),
        /** node_host or an address of one of the machine's interfaces. */
        NODE_ADDRESS("origin-node-address", "an address of this node"),
        /** In a block of origin_deny. */
        DENIED("origin-denied", "in origin_deny");

        private final String detail;
        private final String text;

        Reason(String detail, String text) {
            this.detail = detail;
            this.text = text;
        }

        /** The {@code Cache-Status} detail token, e.g. {@code origin-loopback}. */
        public String detail() {
            return detail;
        }
    }

    /**
     * One refused address.
     *
     * @param address the address the origin's host resolved to
     * @param reason  why it is refused
     * @param range   the {@code origin_deny} block it lies in, for {@link Reason#DENIED}; else null
     */
    public record Refusal(InetAddress address, Reason reason, AddressRange range) {
        /** E.g. {@code 127.0.0.1 is a loopback address}. */
        public String describe() {
            return address.getHostAddress() + " is " + reason.text + (range == null ? "" : " block " + range);
        }
    }

    /** Keeps the deny list immutable. */
    public OriginAccess {
        deny = List.copyOf(deny);
    }

    /** The rule of an instance: the built-in refusals, {@code originDeny}, and what the expression names. */
    public static OriginAccess forInstance(Expression expression, List<AddressRange> originDeny) {
        InetAddress named = null;
        if (!expression.isWildcard()) {
            String host = expression.host();
            boolean bracketed = host.startsWith("[") && host.endsWith("]");
            named = AddressRange.literal(bracketed ? host.substring(1, host.length() - 1) : host).orElse(null);
        }
        return new OriginAccess(named, originDeny, true);
    }

    /**
     * No refusal at all. Only for tests whose origins cannot be anywhere but on the test's own
     * machine, which every instance but one naming it must refuse.
     */
    public static OriginAccess unrestricted() {
        return new OriginAccess(null, List.of(), false);
    }

    /**
     * Decides about one address.
     *
     * @param address      an address the origin's host resolved to, about to be connected to
     * @param nodeAddresses the node's own addresses now ({@code node_host} and its interfaces')
     * @return why the address is refused, or empty when the instance may connect to it
     */
    public Optional<Refusal> check(InetAddress address, Set<InetAddress> nodeAddresses) {
        if (!restricted) {
            return Optional.empty();
        }
        // origin_deny is the node operator's word, above any expression the controller sends.
        for (AddressRange range : deny) {
            if (range.contains(address)) {
                return refuse(address, Reason.DENIED, range);
            }
        }
        if (address.equals(named)) {
            return Optional.empty();
        }
        if (address.isLoopbackAddress()) {
            return refuse(address, Reason.LOOPBACK, null);
        }
        if (address.isLinkLocalAddress()) {
            return refuse(address, Reason.LINK_LOCAL, null);
        }
        if (address.isAnyLocalAddress()) {
            return refuse(address, Reason.UNSPECIFIED, null);
        }
        if (nodeAddresses.contains(address)) {
            return refuse(address, Reason.NODE_ADDRESS, null);
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(InetAddress address, Reason reason, AddressRange range) {
        return Optional.of(new Refusal(address, reason, range));
    }
}
