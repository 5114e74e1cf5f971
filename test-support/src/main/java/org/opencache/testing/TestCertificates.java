package org.opencache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opencache.common.tls.TlsIdentity;

/**
 * Certificate authorities and certificates made by a test (EC P-256, valid for a day), written
 * as the PEM files an operator gives {@code api_tls_cert}, {@code api_tls_key} and
 * {@code api_tls_client_ca}, and the client-side {@link SSLContext}s that trust them.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    private static final char[] NO_PASSWORD = new char[0];

    private TestCertificates() {
    }

    /** {@return a new self-signed certificate authority named {@code name}} */
    public static Authority authority(String name) {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = sign(subject, subject, keys, keys.getPrivate(), true, List.of());
        return new Authority(certificate, keys);
    }

    /**
     * A certificate authority.
     *
     * @param certificate its self-signed certificate
     * @param keys        its key pair
     */
    public record Authority(X509Certificate certificate, KeyPair keys) {
        /**
         * {@return a certificate for {@code commonName}, signed by this authority, valid for the
         * subject alternative names {@code names} (IPv4 literals as IP addresses, others as DNS names)}
         */
        public Issued issue(String commonName, String... names) {
            KeyPair leaf = keyPair();
            X509Certificate certificate = sign(new X500Name("CN=" + commonName),
                    new X500Name(this.certificate.getSubjectX500Principal().getName()), leaf, keys.getPrivate(),
                    false, List.of(names));
            return new Issued(certificate, leaf.getPrivate(), this);
        }

        /** Writes the authority's certificate as PEM; {@return {@code file}} */
        public Path writeCertificate(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** {@return a client context that trusts this authority and presents no certificate} */
        public SSLContext clientContext() {
            return context(this, Optional.empty());
        }
    }

    /**
     * A certificate issued by an {@link Authority}.
     *
     * @param certificate the certificate
     * @param key         its private key
     * @param issuer      who signed it
     */
    public record Issued(X509Certificate certificate, PrivateKey key, Authority issuer) {
        /** Writes the certificate and then its issuer's, a chain, as PEM; {@return {@code file}} */
        public Path writeChain(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate))
                    + pem("CERTIFICATE", encoded(issuer.certificate())));
        }

        /** Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}); {@return {@code file}} */
        public Path writeKey(Path file) {
            return write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /** {@return the identity a server presents with this certificate, requiring client certificates of {@code clientCas}} */
        public TlsIdentity identity(Optional<Authority> clientCas) {
            return new TlsIdentity(List.of(certificate, issuer.certificate()), key,
                    clientCas.map(ca -> List.of(ca.certificate())));
        }

        /** {@return a client context that trusts {@code server} and presents this certificate} */
        public SSLContext clientContext(Authority server) {
            return context(server, Optional.of(this));
        }
    }

    private static SSLContext context(Authority trusted, Optional<Issued> client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, NO_PASSWORD);
            trust.setCertificateEntry("ca", trusted.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, NO_PASSWORD);
            if (client.isPresent()) {
                keys.setKeyEntry("client", client.get().key(), NO_PASSWORD,
                        new X509Certificate[] {client.get().certificate(), client.get().issuer().certificate()});
            }
            kmf.init(keys, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has P-256", e);
        }
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, PrivateKey issuerKey,
            boolean authority, List<String> names) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(authority
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    general.add(name.matches("[0-9.]+")
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("issuing a test certificate", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
