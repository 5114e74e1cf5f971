package org.opencache.node.openflow;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * One flow rule of a redirect, in OpenCache's own terms: what it matches (always IPv4/TCP), what
 * it rewrites, and its identity on the switch. Every rule ends with output to {@code NORMAL}, so
 * the switch's own forwarding carries the rewritten packet. {@link FlowMods} is the one place
 * that turns it into an OpenFlow message.
 *
 * @param name        what the rule is for, as logs and switch errors name it
 * @param cookie      node and instance ({@link RedirectCookie}); pause, stop and shutdown delete by it
 * @param priority    explicit, because openflowj's builder would otherwise send 0
 * @param hardTimeout seconds until the switch drops the rule unless it is re-sent (the lease)
 * @param match       the packets the rule takes
 * @param rewrite     what it changes in them
 */
public record RedirectRule(String name, long cookie, int priority, int hardTimeout, Match match, Rewrite rewrite) {
    /** Above the redirect rules: the node's own traffic to the origin must never come back to it. */
    public static final int HANDS_OFF_PRIORITY = 40_000;
    /** Client requests for the origin, and the instance's answers. */
    public static final int REDIRECT_PRIORITY = 30_000;
    /** The {@code *} instance: below the redirects, so an instance for a specific origin wins. */
    public static final int EVERY_HOST_PRIORITY = 20_000;

    /** Validates the fields. */
    public RedirectRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(rewrite, "rewrite");
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (hardTimeout < 0 || hardTimeout > 0xffff) {
            throw new IllegalArgumentException("hard timeout out of range: " + hardTimeout);
        }
    }

    /**
     * TCP over IPv4, narrowed by whichever fields are set.
     *
     * @param ipv4Src source address, or null for any
     * @param ipv4Dst destination address, or null for any
     * @param tcpSrc  source port, or 0 for any
     * @param tcpDst  destination port, or 0 for any
     */
    public record Match(Inet4Address ipv4Src, Inet4Address ipv4Dst, int tcpSrc, int tcpDst) {
    }

    /**
     * Header fields to set before output to NORMAL; null or 0 leaves a field alone.
     *
     * @param ethDst  destination MAC, {@code aa:bb:cc:dd:ee:ff}
     * @param ipv4Src source address
     * @param ipv4Dst destination address
     * @param tcpSrc  source port
     * @param tcpDst  destination port
     */
    public record Rewrite(String ethDst, Inet4Address ipv4Src, Inet4Address ipv4Dst, int tcpSrc, int tcpDst) {
        /** Changes nothing: the rule only forwards. */
        public static final Rewrite NONE = new Rewrite(null, null, null, 0, 0);
    }
}
