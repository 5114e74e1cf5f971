package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.keys.LinkKeys;
import org.opencache.common.keys.NodeLinkKeys;
import org.opencache.testing.TestConfigs;
import picocli.CommandLine;

/** {@code opencache keygen DIR}, and the launcher's answer to a one-sided CURVE configuration. */
class KeygenTest {
    @TempDir
    Path dir;

    /** What one in-process run printed and returned. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new OpenCacheMain()).execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void writesASecretOnlyItsOwnerReadsAndAPublicKeyThatANodeConfigAccepts() throws Exception {
        Run run = run("keygen", dir.resolve("node").toString());
        Run controller = run("keygen", dir.resolve("controller").toString());

        assertEquals(0, run.status(), run.err());
        assertEquals(0, controller.status(), controller.err());
        Path secret = dir.resolve("node/link.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node/link.pub"))));
        String publicKey = LinkKeys.readPublic(dir.resolve("node/link.pub")).z85();
        assertTrue(run.out().contains("public key: " + publicKey), run.out());

        NodeConfig config = ConfigReader.node(TestConfigs.node(dir.resolve("cache"), 50001)
                .set("link_secret_key", secret)
                .set("controller_public_key", dir.resolve("controller/link.pub"))
                .write(dir.resolve("node.conf")));
        assertEquals(Optional.of(new NodeLinkKeys(LinkKeys.readSecret(secret),
                LinkKeys.readPublic(dir.resolve("controller/link.pub")))), config.linkKeys());
        assertEquals(publicKey, config.linkKeys().orElseThrow().own().publicKey().z85(), "the pair holds together");
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        assertEquals(0, run("keygen", dir.toString()).status());
        String before = Files.readString(dir.resolve("link.key"));

        Run again = run("keygen", dir.toString());

        assertEquals(1, again.status());
        assertEquals("opencache keygen: " + dir.resolve("link.key")
                + ": exists; a key is never overwritten (remove it first to make a new pair)\n", again.err());
        assertEquals(before, Files.readString(dir.resolve("link.key")));
    }

    @Test
    void aNodeWithItsSecretButNoControllerKeyIsAConfigError() throws Exception {
        assertEquals(0, run("keygen", dir.resolve("keys").toString()).status());
        Path config = TestConfigs.node(dir.resolve("cache"), 50001)
                .set("link_secret_key", dir.resolve("keys/link.key"))
                .write(dir.resolve("node.conf"));

        Run run = run("--node", "--config", config.toString());

        assertEquals(OpenCacheMain.CONFIG_ERROR, run.status());
        assertEquals("opencache: " + config + ": key 'controller_public_key': is required with link_secret_key: "
                + "the controller's link.pub\n", run.err());
    }

    @Test
    void aRoleWithoutConfigIsAUsageError() {
        Run run = run("--controller");

        assertEquals(OpenCacheMain.CONFIG_ERROR, run.status());
        assertEquals("opencache: --config FILE is required to run a role (see --help)\n", run.err());
    }
}
