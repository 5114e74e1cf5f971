package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.keys.LinkKeys;

/** A control plane beyond loopback must be secured, or the operator says insecure = true (docs/design.md §3). */
class SafeDefaultsTest {
    @TempDir
    Path dir;

    private final List<String> notes = new ArrayList<>();
    private final Notes recorder = (level, message) -> notes.add(level + " " + message);

    private Path conf(String... lines) throws IOException {
        return Files.writeString(dir.resolve("test.conf"), "[config]\n" + String.join("\n", lines) + "\n");
    }

    private ControllerConfig controller(String... lines) throws Exception {
        Path file = conf(lines);
        return ConfigReader.controller(IniFile.read(file), file.toString(), recorder);
    }

    private NodeConfig node(String... lines) throws Exception {
        Path file = conf(lines);
        return ConfigReader.node(IniFile.read(file), file.toString(), recorder);
    }

    private String refusal(ThrowingRead read) {
        return assertThrows(ConfigException.class, read::run).getMessage().replace(dir.resolve("test.conf") + ": ", "");
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws Exception;
    }

    @Test
    void loopbackNeedsNothing() throws Exception {
        controller("controller_host = 127.0.0.1");
        controller("controller_host = localhost");
        node("node_host = 127.0.0.1", "controller_host = ::1");
        assertEquals(List.of(), notes);
    }

    @Test
    void aControllerOnTheNetworkWithoutProtectionRefusesToStartNamingTheKey() {
        assertEquals("key 'api_tls_cert': must be set because controller_host 192.0.2.10 is not a loopback address"
                + " (the API would be plain HTTP on the network); set it, or insecure = true to run unprotected on"
                + " purpose", refusal(() -> controller("controller_host = 192.0.2.10")));
        assertEquals("key 'api_tls_cert': must be set because controller_host 0.0.0.0 is not a loopback address"
                + " (the API would be plain HTTP on the network); set it, or insecure = true to run unprotected on"
                + " purpose", refusal(() -> controller("controller_host = 0.0.0.0")), "every address counts as remote");
    }

    @Test
    void insecureStartsButWarnsOfEveryHole() throws Exception {
        ControllerConfig config = controller("controller_host = 192.0.2.10", "insecure = yes");

        assertEquals("192.0.2.10", config.controllerHost());
        assertEquals(List.of("api_tls_cert", "api_tokens_file", "link_secret_key"),
                notes.stream().map(note -> note.replaceAll(".*insecure = true: (\\w+) is not set.*", "$1")).toList());
        assertTrue(notes.stream().allMatch(note -> note.startsWith("WARN ")), notes.toString());
    }

    @Test
    void aNodeReachingARemoteControllerNeedsCurve() throws Exception {
        assertEquals("key 'link_secret_key': must be set because controller_host 192.0.2.10 is not a loopback"
                + " address (anyone on the way could pose as the controller); set it, or insecure = true to run"
                + " unprotected on purpose", refusal(() -> node("controller_host = 192.0.2.10")));

        LinkKeys.Written node = LinkKeys.write(dir.resolve("node"));
        LinkKeys.Written controller = LinkKeys.write(dir.resolve("controller"));
        NodeConfig config = node("controller_host = 192.0.2.10", "link_secret_key = " + node.secretFile(),
                "controller_public_key = " + controller.publicFile());
        assertTrue(config.linkKeys().isPresent());
        assertEquals(List.of(), notes);
    }

    @Test
    void aStatusEndpointBeyondLoopbackNeedsTokens() throws Exception {
        assertEquals("key 'status_tokens': must be set because the status endpoint's address 192.0.2.20 is not a"
                + " loopback address (/status and /metrics would answer anyone); set it, or insecure = true to run"
                + " unprotected on purpose", refusal(() -> node("node_host = 192.0.2.20")));

        node("node_host = 192.0.2.20", "node_admin_host = 127.0.0.1");
        Path tokens = Files.writeString(dir.resolve("tokens"), "monitor read s3cret-s3cret-s3cret-s3cret\n");
        node("node_host = 192.0.2.20", "status_tokens = true", "api_tokens_file = " + tokens);
        assertEquals(List.of(), notes, "instances may serve clients on the network; only the status endpoint counts");
    }

    @Test
    void insecureOnANodeWarnsOfBoth() throws Exception {
        node("node_host = 192.0.2.20", "controller_host = 192.0.2.10", "insecure = true");

        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("link_secret_key is not set") && notes.get(1).contains("status_tokens"), notes.toString());
        assertFalse(SafeDefaults.isLoopback("no-such-host.invalid"), "a name that does not resolve counts as remote");
    }
}
