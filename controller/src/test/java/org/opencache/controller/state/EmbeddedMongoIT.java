package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoIT {

    @Test
    void keepsItsStoreUnderDataPath(@TempDir Path tmp) {
        Path dataPath = tmp.resolve("not/yet/there");
        try (EmbeddedMongo server = EmbeddedMongo.start(dataPath)) {
            assertTrue(server.isPersistent());
            assertTrue(Files.isRegularFile(dataPath.resolve(EmbeddedMongo.STORE_FILE)));
            assertTrue(server.port() > 0);
            assertEquals("mongodb://127.0.0.1:" + server.port(), server.connectionString());
        }
    }

    @Test
    void listensOnLoopbackOnly(@TempDir Path tmp) throws IOException {
        try (EmbeddedMongo server = EmbeddedMongo.start(tmp)) {
            assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
            // On every other address of this machine (if it has any) nothing answers on that port.
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        try (Socket socket = new Socket()) {
                            assertThrows(ConnectException.class, () -> socket.connect(
                                    new InetSocketAddress(address, server.port()), 2_000), address.toString());
                        }
                    }
                }
            }
        }
    }

    @Test
    void fallsBackToMemoryWhenDataPathIsUnusable(@TempDir Path tmp) throws IOException {
        // A path below a regular file can never be created, even by root.
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        try (EmbeddedMongo server = EmbeddedMongo.start(file.resolve("data"));
                MongoClient client = MongoClients.create(server.connectionString())) {
            assertFalse(server.isPersistent());
            assertEquals(1.0, ((Number) client.getDatabase("admin").runCommand(new Document("ping", 1))
                    .get("ok")).doubleValue());
        }
    }
}
