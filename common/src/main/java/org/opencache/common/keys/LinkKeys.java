package org.opencache.common.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.KeyAgreement;

/**
 * Makes CURVE key pairs and reads and writes the key files of the node link (docs/design.md §5).
 *
 * <p><b>Keys.</b> A CURVE key pair is a Curve25519 pair as NaCl's {@code crypto_box_keypair} makes
 * it: 32 random bytes of secret, and the public key {@code X25519(secret, 9)}. The JDK's X25519
 * computes it, so no library is needed here, and a public key is always derived from its secret
 * (a key file cannot hold a mismatched pair).
 *
 * <p><b>Files.</b> Text, UTF-8, one key per line as 40 characters of Z85, optionally followed by
 * whitespace and a comment. Blank lines are skipped, and so are lines that start with {@code #}
 * and are not a key (a key may itself start with {@code #}, but it is then exactly 40 characters
 * up to the first whitespace; {@code #} followed by a key comments that key out).
 * <ul>
 *   <li>{@value #SECRET_FILE}: the secret key, one key line, mode 0600. Refused when the group or
 *       others may access it.</li>
 *   <li>{@value #PUBLIC_FILE}: the public key, one key line with the host name as comment, mode 0644.</li>
 *   <li>authorized keys (the controller's {@code link_authorized_keys}): a file of any number of
 *       key lines, or a directory whose {@code *.pub} files hold one key line each.</li>
 * </ul>
 */
public final class LinkKeys {
    /** The secret key file {@link #write} creates. */
    public static final String SECRET_FILE = "link.key";
    /** The public key file {@link #write} creates. */
    public static final String PUBLIC_FILE = "link.pub";
    private static final BigInteger BASE_POINT = BigInteger.valueOf(9);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkKeys() {
    }

    /** {@return a new key pair from the system's secure random source} */
    public static LinkKeyPair generate() {
        byte[] secret = new byte[CurveKey.BYTES];
        RANDOM.nextBytes(secret);
        return pairOf(CurveKey.of(secret));
    }

    /** {@return the pair of {@code secret}: its public key is computed} */
    public static LinkKeyPair pairOf(CurveKey secret) {
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            PrivateKey scalar = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secret.bytes()));
            PublicKey base = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT));
            // X25519(secret, 9): the "shared secret" with the base point is the public key.
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(scalar);
            agreement.doPhase(base, true);
            return new LinkKeyPair(CurveKey.of(agreement.generateSecret()), secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot compute X25519 (needed for CURVE keys)", e);
        }
    }

    /** The files {@link #write} wrote. */
    public record Written(Path secretFile, Path publicFile, LinkKeyPair pair) {
    }

    /**
     * Generates a pair and writes it as {@code dir/link.key} (mode 0600, created so, never
     * readable by others even for a moment) and {@code dir/link.pub} (mode 0644). Creates
     * {@code dir} when missing.
     *
     * @throws FileAlreadyExistsException when either file exists: a key is never overwritten
     * @throws IOException                when the directory or files cannot be written
     */
    public static Written write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path secretFile = dir.resolve(SECRET_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        for (Path file : List.of(secretFile, publicFile)) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "exists; a key is never overwritten (remove it first to make a new pair)");
            }
        }
        LinkKeyPair pair = generate();
        String host = hostName();
        writeNew(secretFile, "# OpenCache node-link secret key (CURVE, Z85) of " + host
                + ". Keep it on this host, mode 0600.\n" + pair.secretKey().z85() + "\n", "rw-------");
        writeNew(publicFile, pair.publicKey().z85() + " " + host + "\n", "rw-r--r--");
        return new Written(secretFile, publicFile, pair);
    }

    private static void writeNew(Path file, String text, String mode) throws IOException {
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(permissions));
            // The umask may have taken bits away from the public file; set exactly what we mean.
            Files.setPosixFilePermissions(file, permissions);
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Reads a secret key file and computes its pair.
     *
     * @throws IOException when the file cannot be read, may be read by the group or others, or
     *                     does not hold exactly one key; the message names the file
     */
    public static LinkKeyPair readSecret(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
            if (permissions.stream().anyMatch(open::contains)) {
                throw new IOException(file + " is a secret key but its mode is "
                        + PosixFilePermissions.toString(permissions) + "; run chmod 600 " + file);
            }
        }
        return pairOf(single(file, "secret key", false));
    }

    /**
     * Reads a public key file ({@code link.pub}).
     *
     * @throws IOException when the file cannot be read or does not hold exactly one key
     */
    public static CurveKey readPublic(Path file) throws IOException {
        return single(file, "public key", true);
    }

    /**
     * Reads authorized node keys: a file of key lines, or a directory of {@code *.pub} files.
     *
     * @throws IOException when a file cannot be read or holds something that is not a key
     */
    public static Set<CurveKey> readAuthorized(Path fileOrDirectory) throws IOException {
        Set<CurveKey> keys = new LinkedHashSet<>();
        if (Files.isDirectory(fileOrDirectory)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> pubs = Files.newDirectoryStream(fileOrDirectory, "*.pub")) {
                pubs.forEach(files::add);
            }
            files.sort(null);
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    keys.add(readPublic(file));
                }
            }
        } else {
            keys.addAll(keyLines(fileOrDirectory, true));
        }
        return keys;
    }

    private static CurveKey single(Path file, String what, boolean showable) throws IOException {
        List<CurveKey> keys = keyLines(file, showable);
        if (keys.size() != 1) {
            throw new IOException(file + " holds " + keys.size() + " keys; a " + what + " file holds one");
        }
        return keys.getFirst();
    }

    /** @param showable whether a bad line may be quoted in the error (never a secret key's) */
    private static List<CurveKey> keyLines(Path file, boolean showable) throws IOException {
        List<String> lines = Files.readAllLines(file, UTF_8);
        List<CurveKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String first = line.split("\\s+", 2)[0];
            if (line.isEmpty() || (line.startsWith("#") && first.length() != CurveKey.Z85_LENGTH)) {
                continue;
            }
            try {
                keys.add(new CurveKey(first));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + (showable ? e.getMessage()
                        : "not a CURVE key (40 characters of Z85, as opencache keygen writes it)"), showable ? e : null);
            }
        }
        return keys;
    }
}
