package org.opencache.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.testing.TestCertificates;

/**
 * The {@code api_tls_*} keys read real PEM files, and each bad one fails the configuration
 * naming its key (the launcher prints the message and exits 2). Here, not in common, because
 * the certificates come from test-support.
 */
class TlsConfigTest {
    @TempDir
    Path dir;
    final TestCertificates.Authority ca = TestCertificates.authority("ca");
    final TestCertificates.Issued server = ca.issue("controller", "127.0.0.1");

    private ConfigException refused(Map<String, String> keys, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.controller(keys, "c.conf"));
        assertEquals(Optional.of(key), e.key(), e.getMessage());
        return e;
    }

    @Test
    void goodFilesGiveAnIdentityWithItsClientCas() throws Exception {
        ControllerConfig config = ConfigReader.controller(Map.of(
                "api_tls_cert", server.writeChain(dir.resolve("cert.pem")).toString(),
                "api_tls_key", server.writeKey(dir.resolve("key.pem")).toString(),
                "api_tls_client_ca", ca.writeCertificate(dir.resolve("ca.pem")).toString()), "c.conf");
        assertEquals(2, config.apiTls().orElseThrow().chain().size());
        assertEquals(1, config.apiTls().orElseThrow().clientCas().orElseThrow().size());
    }

    @Test
    void eachBadFileNamesItsKey() throws Exception {
        String cert = server.writeChain(dir.resolve("cert.pem")).toString();
        String key = server.writeKey(dir.resolve("key.pem")).toString();
        String otherKey = ca.issue("other").writeKey(dir.resolve("other.pem")).toString();
        String garbage = Files.writeString(dir.resolve("garbage.pem"), "not pem").toString();
        String rsa = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n").toString();
        refused(Map.of("api_tls_cert", cert), "api_tls_key");
        refused(Map.of("api_tls_key", key), "api_tls_cert");
        refused(Map.of("api_tls_client_ca", cert), "api_tls_client_ca");
        refused(Map.of("api_tls_cert", dir.resolve("missing.pem").toString(), "api_tls_key", key), "api_tls_cert");
        refused(Map.of("api_tls_cert", key, "api_tls_key", key), "api_tls_cert");
        refused(Map.of("api_tls_cert", cert, "api_tls_key", garbage), "api_tls_key");
        assertTrue(refused(Map.of("api_tls_cert", cert, "api_tls_key", rsa), "api_tls_key").getMessage()
                .contains("openssl pkcs8 -topk8 -nocrypt"));
        assertTrue(refused(Map.of("api_tls_cert", cert, "api_tls_key", otherKey), "api_tls_key").getMessage()
                .contains("is not the private key of the first certificate"));
        refused(Map.of("api_tls_cert", cert, "api_tls_key", key, "api_tls_client_ca", garbage), "api_tls_client_ca");
        refused(Map.of("api_tokens_file", garbage), "api_tokens_file");
    }
}
