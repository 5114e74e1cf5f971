package org.opencache.common.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkKeysTest {
    @TempDir
    Path dir;

    @Test
    void thePublicKeyIsX25519OfTheSecretAndTheBasePoint() {
        // RFC 7748 §6.1: Alice's private key and public key.
        CurveKey secret = CurveKey.of(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        assertEquals(CurveKey.of(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")),
                LinkKeys.pairOf(secret).publicKey());
    }

    @Test
    void generatedPairsDifferAndHoldTogether() {
        LinkKeyPair one = LinkKeys.generate();
        LinkKeyPair two = LinkKeys.generate();
        assertNotEquals(one.secretKey(), two.secretKey());
        assertEquals(one, LinkKeys.pairOf(one.secretKey()));
        assertFalse(one.toString().contains(one.secretKey().z85()), "the secret is never shown");
    }

    @Test
    void writeMakesASecretOnlyTheOwnerReadsAndAPublicFileTheyMatch() throws IOException {
        LinkKeys.Written written = LinkKeys.write(dir.resolve("keys"));

        assertEquals(dir.resolve("keys/link.key"), written.secretFile());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.secretFile())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.publicFile())));
        assertEquals(written.pair(), LinkKeys.readSecret(written.secretFile()));
        assertEquals(written.pair().publicKey(), LinkKeys.readPublic(written.publicFile()));
        assertTrue(Files.readString(written.publicFile()).startsWith(written.pair().publicKey().z85() + " "));
    }

    @Test
    void writeNeverOverwritesAKey() throws IOException {
        LinkKeys.Written first = LinkKeys.write(dir);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> LinkKeys.write(dir));
        assertEquals(first.secretFile() + ": exists; a key is never overwritten (remove it first to make a new pair)",
                e.getMessage());
        assertEquals(first.pair(), LinkKeys.readSecret(first.secretFile()));
    }

    @Test
    void aSecretOthersMayReadIsRefused() throws IOException {
        Path secret = LinkKeys.write(dir).secretFile();
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

        IOException e = assertThrows(IOException.class, () -> LinkKeys.readSecret(secret));
        assertEquals(secret + " is a secret key but its mode is rw-r--r--; run chmod 600 " + secret, e.getMessage());
    }

    @Test
    void aBadSecretIsNotQuotedInTheError() throws IOException {
        Path secret = dir.resolve("link.key");
        Files.writeString(secret, "# comment\nsecret-material-with-a-typo\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        IOException e = assertThrows(IOException.class, () -> LinkKeys.readSecret(secret));
        assertEquals(secret + " line 2: not a CURVE key (40 characters of Z85, as opencache keygen writes it)",
                e.getMessage());
    }

    @Test
    void authorizedKeysFileTakesCommentsBlankLinesAndCommentedOutKeys() throws IOException {
        CurveKey a = LinkKeys.generate().publicKey();
        CurveKey b = LinkKeys.generate().publicKey();
        CurveKey c = LinkKeys.generate().publicKey();
        Path file = Files.write(dir.resolve("authorized_keys"), List.of(
                "# cache nodes of rack 1", "", a + " node-1.example", "  " + b + "\tnode-2", "#" + c + " retired"));

        assertEquals(Set.of(a, b), LinkKeys.readAuthorized(file));
    }

    @Test
    void authorizedKeysDirectoryReadsItsPubFiles() throws IOException {
        CurveKey a = LinkKeys.generate().publicKey();
        CurveKey b = LinkKeys.generate().publicKey();
        Files.writeString(dir.resolve("node-1.pub"), a + " node-1\n");
        Files.writeString(dir.resolve("node-2.pub"), b + "\n");
        Files.writeString(dir.resolve("README"), "not a key\n");

        assertEquals(Set.of(a, b), LinkKeys.readAuthorized(dir));
    }

    @Test
    void aLineThatIsNotAKeyIsNamedWithItsLineNumber() throws IOException {
        Path file = Files.writeString(dir.resolve("authorized_keys"), "# nodes\nssh-ed25519 AAAA node-1\n");

        IOException e = assertThrows(IOException.class, () -> LinkKeys.readAuthorized(file));
        assertEquals(file + " line 2: 'ssh-ed25519' is not a CURVE key (40 characters of Z85, as opencache keygen "
                + "writes it)", e.getMessage());
    }

    @Test
    void aPublicKeyFileHoldsExactlyOneKey() throws IOException {
        Path file = Files.writeString(dir.resolve("controller.pub"), "# nothing here\n");

        IOException e = assertThrows(IOException.class, () -> LinkKeys.readPublic(file));
        assertEquals(file + " holds 0 keys; a public key file holds one", e.getMessage());
    }

    private static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
