package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.keys.LinkKeys;
import org.opencache.common.keys.NodeLinkKeys;

/** The CURVE keys of the node link in the configuration: both halves or neither, files read at once. */
class LinkKeysConfigTest {
    private static final Notes QUIET = (level, message) -> { };

    @TempDir
    Path dir;
    private LinkKeys.Written controller;
    private LinkKeys.Written node;

    @BeforeEach
    void keys() throws IOException {
        controller = LinkKeys.write(dir.resolve("controller"));
        node = LinkKeys.write(dir.resolve("node"));
        Files.createDirectories(dir.resolve("authorized"));
        Files.copy(node.publicFile(), dir.resolve("authorized/node-1.pub"));
    }

    private Path conf(String... lines) throws IOException {
        return Files.writeString(dir.resolve("test.conf"), "[config]\n" + String.join("\n", lines) + "\n");
    }

    private static ControllerConfig controller(Path file) throws ConfigException {
        return ConfigReader.controller(IniFile.read(file), file.toString(), QUIET);
    }

    private static NodeConfig node(Path file) throws ConfigException {
        return ConfigReader.node(IniFile.read(file), file.toString(), QUIET);
    }

    @Test
    void withoutKeysTheLinkIsPlain() throws Exception {
        assertEquals(Optional.empty(), controller(conf()).linkKeys());
        assertEquals(Optional.empty(), node(conf()).linkKeys());
    }

    @Test
    void aControllerReadsItsPairAndTheAuthorizedKeys() throws Exception {
        Path file = conf("link_secret_key = " + controller.secretFile(), "link_authorized_keys = " + dir.resolve("authorized"));

        assertEquals(Optional.of(new ControllerLinkKeys(controller.pair(), Set.of(node.pair().publicKey()))),
                controller(file).linkKeys());
    }

    @Test
    void aNodeReadsItsPairAndTheControllersKey() throws Exception {
        Path file = conf("link_secret_key = " + node.secretFile(), "controller_public_key = " + controller.publicFile());

        assertEquals(Optional.of(new NodeLinkKeys(node.pair(), controller.pair().publicKey())), node(file).linkKeys());
    }

    @Test
    void oneSidedControllerConfigurationNamesTheMissingKey() throws Exception {
        Path secretOnly = conf("link_secret_key = " + controller.secretFile());
        assertEquals(secretOnly + ": key 'link_authorized_keys': is required with link_secret_key: the node public keys "
                        + "this controller accepts (a file of keys or a directory of .pub files)",
                assertThrows(ConfigException.class, () -> controller(secretOnly)).getMessage());

        Path authorizedOnly = conf("link_authorized_keys = " + dir.resolve("authorized"));
        assertEquals(authorizedOnly + ": key 'link_secret_key': is required with link_authorized_keys: this "
                        + "controller's link.key (make one with: opencache keygen DIR)",
                assertThrows(ConfigException.class, () -> controller(authorizedOnly)).getMessage());
    }

    @Test
    void oneSidedNodeConfigurationNamesTheMissingKey() throws Exception {
        Path secretOnly = conf("link_secret_key = " + node.secretFile());
        assertEquals(secretOnly + ": key 'controller_public_key': is required with link_secret_key: the controller's "
                + "link.pub", assertThrows(ConfigException.class, () -> node(secretOnly)).getMessage());

        Path publicOnly = conf("controller_public_key = " + controller.publicFile());
        assertEquals(publicOnly + ": key 'link_secret_key': is required with controller_public_key: this node's "
                        + "link.key (make one with: opencache keygen DIR)",
                assertThrows(ConfigException.class, () -> node(publicOnly)).getMessage());
    }

    @Test
    void anUnreadableKeyFileIsAnErrorOfItsKey() throws Exception {
        Path missing = dir.resolve("nowhere/link.key");
        Path file = conf("link_secret_key = " + missing, "controller_public_key = " + controller.publicFile());

        assertEquals(file + ": key 'link_secret_key': cannot be read: " + missing + ": no such file",
                assertThrows(ConfigException.class, () -> node(file)).getMessage());
    }

    @Test
    void aPublicKeyGivenAsTheSecretIsRefused() throws Exception {
        Path file = conf("link_secret_key = " + controller.publicFile(), "controller_public_key = " + controller.publicFile());

        assertEquals(file + ": key 'link_secret_key': cannot be read: " + controller.publicFile()
                        + " is a secret key but its mode is rw-r--r--; run chmod 600 " + controller.publicFile(),
                assertThrows(ConfigException.class, () -> node(file)).getMessage());
    }
}
