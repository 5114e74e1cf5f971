package org.opencache.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.event.Level;

/**
 * The safe defaults of docs/design.md §3: a control plane that is reachable beyond this host must
 * be secured. A controller whose {@code controller_host} is not a loopback address needs HTTPS
 * and tokens on its API and CURVE on its node link; a node needs CURVE to reach a controller on
 * another host, and tokens on a status endpoint that is not on loopback. Otherwise the process
 * refuses to start with one line naming the missing key, unless {@code insecure = true}, which is
 * then warned about at every start, naming what is open.
 *
 * <p>Loopback-only set-ups (the quick start) need none of this. A host name counts as loopback
 * only when every address it resolves to is one; a name that does not resolve counts as remote.
 */
final class SafeDefaults {
    private SafeDefaults() {
    }

    /** Checks a controller's configuration. */
    static void check(ControllerConfig config, Values v, Notes notes) throws ConfigException {
        boolean insecure = v.bool(ConfigKey.INSECURE); // read always, so a bad value is an error even when unused
        if (isLoopback(config.controllerHost())) {
            return;
        }
        String why = "controller_host " + config.controllerHost() + " is not a loopback address";
        List<Gap> gaps = new ArrayList<>();
        if (config.apiTls().isEmpty()) {
            gaps.add(new Gap(ConfigKey.API_TLS_CERT, why, "the API would be plain HTTP on the network"));
        }
        if (config.apiTokens().isEmpty()) {
            gaps.add(new Gap(ConfigKey.API_TOKENS_FILE, why, "anyone who reaches the API could command every node"));
        }
        if (config.linkKeys().isEmpty()) {
            gaps.add(new Gap(ConfigKey.LINK_SECRET_KEY, why, "anyone who reaches the node link could pose as a node"));
        }
        enforce(gaps, insecure, v, notes);
    }

    /** Checks a node's configuration. */
    static void check(NodeConfig config, Values v, Notes notes) throws ConfigException {
        boolean insecure = v.bool(ConfigKey.INSECURE); // read always, so a bad value is an error even when unused
        List<Gap> gaps = new ArrayList<>();
        if (!isLoopback(config.controllerHost()) && config.linkKeys().isEmpty()) {
            gaps.add(new Gap(ConfigKey.LINK_SECRET_KEY, "controller_host " + config.controllerHost()
                    + " is not a loopback address", "anyone on the way could pose as the controller"));
        }
        if (!isLoopback(config.nodeAdminHost()) && config.statusTokens().isEmpty()) {
            gaps.add(new Gap(ConfigKey.STATUS_TOKENS, "the status endpoint's address " + config.nodeAdminHost()
                    + " is not a loopback address", "/status and /metrics would answer anyone"));
        }
        enforce(gaps, insecure, v, notes);
    }

    /**
     * A key that would close a hole.
     *
     * @param why  what makes the hole reachable
     * @param risk what it lets through
     */
    private record Gap(ConfigKey key, String why, String risk) {
    }

    private static void enforce(List<Gap> gaps, boolean insecure, Values v, Notes notes) throws ConfigException {
        if (gaps.isEmpty()) {
            return;
        }
        if (!insecure) {
            Gap first = gaps.getFirst();
            throw v.error(first.key(), "must be set because " + first.why() + " (" + first.risk()
                    + "); set it, or insecure = true to run unprotected on purpose");
        }
        for (Gap gap : gaps) {
            notes.note(Level.WARN, v.source() + ": insecure = true: " + gap.key().key() + " is not set although "
                    + gap.why() + ", so " + gap.risk());
        }
    }

    /** Whether {@code host} is a loopback address, or a name whose every address is one. */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
