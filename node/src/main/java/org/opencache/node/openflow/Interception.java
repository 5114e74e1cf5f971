package org.opencache.node.openflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node-host half of redirecting {@code *}: the switch only delivers all TCP/80 to the node's
 * MAC, unchanged, and this kernel rule ({@code iptables -t nat PREROUTING … REDIRECT}) hands it
 * to the wildcard instance's port. The kernel's connection tracking then gives the answers the
 * origin's address and port back, which stateless switch rules could not. Needs root and
 * iptables on the node host.
 */
final class Interception {
    private static final long COMMAND_TIMEOUT_SECONDS = 5;
    private final String iface;

    /** @param iface the node's switch-facing interface, where intercepted packets arrive */
    Interception(String iface) {
        this.iface = iface;
    }

    /** Sends TCP/80 arriving on the interface for any address to {@code port}. */
    void add(int port) throws IOException {
        if (!iptables("-C", port, false)) {
            iptables("-A", port, true);
        }
    }

    /** Removes what {@link #add} installed; quiet if it is gone. */
    void remove(int port) {
        try {
            while (iptables("-D", port, false)) {
                // every copy
            }
        } catch (IOException e) {
            // Nothing to undo, or no iptables: the switch rules are gone, so nothing arrives.
        }
    }

    private boolean iptables(String operation, int port, boolean mustSucceed) throws IOException {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "2", "-t", "nat", operation, "PREROUTING",
                "-i", iface, "-p", "tcp", "--dport", "80", "-m", "comment", "--comment", "opencache",
                "-j", "REDIRECT", "--to-ports", String.valueOf(port)));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("redirecting '*' needs iptables on the node host: " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took longer than " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0 && mustSucceed) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return process.exitValue() == 0;
    }
}
