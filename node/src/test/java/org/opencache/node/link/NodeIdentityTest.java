package org.opencache.node.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path root;

    @Test
    void createsTheDirectoriesAndKeepsTheSameUuidAcrossLoads() throws IOException {
        Path cachePath = root.resolve("var/tmp/opencache");

        String first = NodeIdentity.load(cachePath);

        assertEquals(first, UUID.fromString(first).toString());
        assertEquals(first + "\n", Files.readString(cachePath.resolve(NodeIdentity.FILE_NAME), UTF_8));
        assertEquals(first, NodeIdentity.load(cachePath));
        assertNotEquals(first, NodeIdentity.load(root.resolve("another-node")));
    }

    @Test
    void theIdentityAndTheDirectoriesItCreatesArePrivate() throws IOException {
        Path cachePath = root.resolve("var/tmp/opencache");

        NodeIdentity.load(cachePath);

        assertEquals("rw-------", mode(cachePath.resolve(NodeIdentity.FILE_NAME)));
        assertEquals("rwx------", mode(cachePath));
        assertEquals("rwx------", mode(root.resolve("var")));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void readsAUuidWrittenByHand() throws IOException {
        Files.writeString(root.resolve(NodeIdentity.FILE_NAME), "  0B7E4AD2-8F0C-4A55-9D3E-2F4E51A0C001 \n");

        assertEquals("0b7e4ad2-8f0c-4a55-9d3e-2f4e51a0c001", NodeIdentity.load(root));
    }

    @Test
    void aCorruptFileIsAClearErrorNotANewIdentity() throws IOException {
        Path file = root.resolve(NodeIdentity.FILE_NAME);
        Files.writeString(file, "not-a-uuid");

        IOException e = assertThrows(IOException.class, () -> NodeIdentity.load(root));

        assertEquals(file + " is corrupt: 'not-a-uuid' is not a UUID. Restore it, or delete it to give this node a "
                + "new identity (the controller will then register it as a new node)", e.getMessage());
        assertEquals("not-a-uuid", Files.readString(file), "left as it was");
    }
}
