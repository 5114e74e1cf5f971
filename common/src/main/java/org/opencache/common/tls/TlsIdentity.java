package org.opencache.common.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a TLS endpoint presents and whom it trusts (docs/design.md §3, {@code api_tls_*}): a
 * certificate chain with its private key, and optionally the certificate authorities that
 * client certificates must chain to (mutual TLS).
 *
 * @param chain     the server's certificate first, then its intermediates
 * @param key       the private key of {@code chain.get(0)}
 * @param clientCas when present, a client must present a certificate signed by one of these
 */
public record TlsIdentity(List<X509Certificate> chain, PrivateKey key, Optional<List<X509Certificate>> clientCas) {
    /** The password of the in-memory key stores; they never touch a disk. */
    private static final char[] NO_PASSWORD = new char[0];

    /** Copies the lists. */
    public TlsIdentity {
        chain = List.copyOf(chain);
        clientCas = clientCas.map(List::copyOf);
    }

    /**
     * {@return whether {@code key} belongs to the first certificate of {@code chain}}: a signature
     * made with the key verifies with the certificate's public key. Catches the mix-up of two
     * files at start rather than at every client's handshake.
     */
    public static boolean matches(List<X509Certificate> chain, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "opencache key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(chain.getFirst().getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** {@return an in-memory key store holding the key and chain, for a TLS server} */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, NO_PASSWORD);
            store.setKeyEntry("opencache", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("an in-memory PKCS12 store takes any key and chain", e);
        }
    }

    /** {@return an in-memory trust store of the client CAs, if mutual TLS is on} */
    public Optional<KeyStore> trustStore() {
        return clientCas.map(cas -> {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, NO_PASSWORD);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("client-ca-" + i, cas.get(i));
                }
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("an in-memory PKCS12 store takes any certificate", e);
            }
        });
    }

    /** {@return the password of both stores (empty: they exist only in memory)} */
    public static String storePassword() {
        return "";
    }

    /** Subjects only; never the key. */
    @Override
    public String toString() {
        return "TlsIdentity[" + chain.getFirst().getSubjectX500Principal()
                + clientCas.map(cas -> ", client CAs " + cas.size()).orElse("") + "]";
    }
}
