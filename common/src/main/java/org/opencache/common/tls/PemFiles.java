package org.opencache.common.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@code api_tls_cert}, {@code api_tls_key} and {@code api_tls_client_ca}
 * with the JDK alone: certificates ({@code BEGIN CERTIFICATE}) and an unencrypted PKCS#8 private
 * key ({@code BEGIN PRIVATE KEY}) of type RSA, EC, Ed25519 or Ed448. Older key formats are refused
 * with the {@code openssl} command that converts them.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /**
     * {@return every {@code CERTIFICATE} block of {@code file}, in file order (a chain: the
     * server's own certificate first)}
     *
     * @throws PemException when the file cannot be read, holds no certificate or a bad one
     */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (Block block : blocks(file)) {
                if (block.type().equals("CERTIFICATE")) {
                    n++;
                    try {
                        certificates.add((X509Certificate) factory.generateCertificate(
                                new ByteArrayInputStream(block.der())));
                    } catch (GeneralSecurityException e) {
                        throw new PemException("certificate " + n + " cannot be parsed: " + e.getMessage(), e);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK reads X.509", e);
        }
        if (certificates.isEmpty()) {
            throw new PemException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }

    /**
     * {@return the one private key of {@code file}}
     *
     * @throws PemException when the file cannot be read, holds no key, more than one, an
     *                      encrypted one, or one in another format than PKCS#8
     */
    public static PrivateKey privateKey(Path file) throws PemException {
        List<Block> keys = blocks(file).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw new PemException("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw new PemException("holds " + keys.size() + " private keys; give exactly one");
        }
        Block key = keys.getFirst();
        switch (key.type()) {
            case "PRIVATE KEY" -> {
            }
            case "ENCRYPTED PRIVATE KEY" -> throw new PemException("the private key is encrypted; "
                    + "decrypt it with: openssl pkcs8 -in KEY -out KEY.pem (and keep that file readable only by its owner)");
            default -> throw new PemException("holds a '" + key.type() + "' block; OpenCache reads PKCS#8 keys "
                    + "(-----BEGIN PRIVATE KEY-----): convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(key.der());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm (or a broken key): try the next.
            }
        }
        throw new PemException("the private key is not a valid PKCS#8 " + String.join(", ", KEY_ALGORITHMS) + " key");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws PemException {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new PemException("is larger than 1 MiB; is it a PEM file?");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (PemException e) {
            throw e;
        } catch (IOException e) {
            throw new PemException("cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new PemException("a '" + m.group(1) + "' block is not valid base64", e);
            }
        }
        if (blocks.isEmpty()) {
            throw new PemException("is not a PEM file (no -----BEGIN ...----- block)");
        }
        return blocks;
    }
}
