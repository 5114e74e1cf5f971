package org.opencache.node.openflow;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link Redirect} into the rules of docs/design.md §7, for one node:
 * <ul>
 *   <li><b>hands-off</b> (highest priority), per origin address: the node's own TCP to the origin
 *       is forwarded untouched, so its fetches are never steered back to itself;</li>
 *   <li><b>request-in</b>: TCP to the origin → eth_dst, ipv4_dst, tcp_dst of the instance;</li>
 *   <li><b>response-out</b>: TCP from the instance → ipv4_src, tcp_src of the origin.</li>
 * </ul>
 * The response path deliberately leaves eth_src alone: with NORMAL forwarding a rewritten
 * source MAC would teach the switch the origin's MAC on the node's port, breaking the node's own
 * fetches and blackholing clients once the rules expire.
 *
 * <p>{@code *} works differently (interception on the node host): see {@code everyHost}.
 *
 * <p>Rules are stateless, so the instance's answers can be given back only one origin address.
 * Only the primary (first) address is redirected; the others get hands-off rules (the node's
 * fetches to them stay direct) and their clients reach the origin uncached, which is safe.
 */
public final class RedirectRules {
    private final long nodeCookie;
    private final Inet4Address node;
    private final String nodeMac;
    private final int leaseSeconds;

    /**
     * @param nodeCookie   the node part of every cookie ({@link RedirectCookie#node})
     * @param node         {@code node_advertise_host} (else {@code node_host}), where instances are reached
     * @param nodeMac      MAC of the node's switch-facing interface, {@code aa:bb:cc:dd:ee:ff}
     * @param leaseSeconds hard timeout of every rule ({@code redirect_lease})
     */
    public RedirectRules(long nodeCookie, Inet4Address node, String nodeMac, int leaseSeconds) {
        this.nodeCookie = nodeCookie;
        this.node = node;
        this.nodeMac = nodeMac;
        this.leaseSeconds = leaseSeconds;
    }

    /** The cookie of the instance's rules. */
    public long cookie(Redirect redirect) {
        return RedirectCookie.of(nodeCookie, redirect.instancePort());
    }

    /** Every rule the redirect needs: hands-off for each address, then request-in and response-out. */
    public List<RedirectRule> rules(Redirect redirect) {
        long cookie = cookie(redirect);
        if (redirect.everyHost()) {
            return everyHost(redirect, cookie);
        }
        List<RedirectRule> rules = new ArrayList<>();
        for (Inet4Address origin : redirect.origins()) {
            rules.add(new RedirectRule("hands-off " + redirect.instance() + " " + origin.getHostAddress(),
                    cookie, RedirectRule.HANDS_OFF_PRIORITY, leaseSeconds,
                    new RedirectRule.Match(node, origin, 0, redirect.originPort()), RedirectRule.Rewrite.NONE));
        }
        if (redirect.origins().isEmpty()) {
            return rules;
        }
        Inet4Address origin = redirect.origins().get(0);
        String to = origin.getHostAddress() + ":" + redirect.originPort();
        String at = node.getHostAddress() + ":" + redirect.instancePort();
        rules.add(new RedirectRule("request-in " + to + " -> " + at, cookie, RedirectRule.REDIRECT_PRIORITY,
                leaseSeconds, new RedirectRule.Match(null, origin, 0, redirect.originPort()),
                new RedirectRule.Rewrite(nodeMac, null, node, 0, redirect.instancePort())));
        rules.add(new RedirectRule("response-out " + at + " -> " + to, cookie, RedirectRule.REDIRECT_PRIORITY,
                leaseSeconds, new RedirectRule.Match(node, null, redirect.instancePort(), 0),
                new RedirectRule.Rewrite(null, origin, null, redirect.originPort(), 0)));
        return rules;
    }

    /**
     * {@code *}: the node's own TCP to the port passes; everyone else's is delivered, unchanged,
     * to the node's MAC, where {@link Interception} hands it to the instance and the node's
     * kernel restores the origin's address on the answers, so no response-out rule is needed.
     */
    private List<RedirectRule> everyHost(Redirect redirect, long cookie) {
        String at = node.getHostAddress() + ":" + redirect.instancePort();
        return List.of(
                new RedirectRule("hands-off * from " + node.getHostAddress(), cookie, RedirectRule.HANDS_OFF_PRIORITY,
                        leaseSeconds, new RedirectRule.Match(node, null, 0, redirect.originPort()),
                        RedirectRule.Rewrite.NONE),
                new RedirectRule("intercept *:" + redirect.originPort() + " -> " + at, cookie,
                        RedirectRule.EVERY_HOST_PRIORITY, leaseSeconds,
                        new RedirectRule.Match(null, null, 0, redirect.originPort()),
                        new RedirectRule.Rewrite(nodeMac, null, null, 0, 0)));
    }
}
