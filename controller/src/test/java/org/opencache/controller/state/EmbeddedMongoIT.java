package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.opencache.common.config.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoIT {

    @Test
    void keepsItsStoreUnderDataPath(@TempDir Path tmp) throws Exception {
        Path dataPath = tmp.resolve("not/yet/there");
        try (EmbeddedMongo server = EmbeddedMongo.start(dataPath)) {
            assertTrue(Files.isRegularFile(dataPath.resolve(EmbeddedMongo.STORE_FILE)));
            assertTrue(server.port() > 0);
            assertEquals("mongodb://127.0.0.1:" + server.port(), server.connectionString());
        }
    }

    @Test
    void listensOnLoopbackOnly(@TempDir Path tmp) throws Exception {
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

    /** Issue 17 item 15: it used to start in memory, and the state was gone at the next restart. */
    @Test
    void refusesADataPathThatCannotBeCreated(@TempDir Path tmp) throws IOException {
        // A path below a regular file can never be created, even by root.
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path dataPath = file.resolve("data");
        SettingException e = assertThrows(SettingException.class, () -> EmbeddedMongo.start(dataPath).close());
        assertEquals("data_path", e.key());
        assertEquals("data_path = " + dataPath + ": cannot create the directory (" + dataPath
                + ": Not a directory)", e.getMessage());
    }

    /** Issue 17 item 15: a second controller on the same data_path used to run in memory beside the first. */
    @Test
    void refusesADataPathAnotherServerHolds(@TempDir Path tmp) throws Exception {
        EmbeddedMongo first = EmbeddedMongo.start(tmp);
        try {
            SettingException e = assertThrows(SettingException.class, () -> EmbeddedMongo.start(tmp).close());
            assertEquals("data_path = " + tmp + ": opencache.mv is locked by another process"
                    + " (another controller using this data_path?)", e.getMessage());
        } finally {
            first.close();
        }
        // The refused attempt left nothing behind: the store opens once the first has stopped.
        EmbeddedMongo.start(tmp).close();
    }
}
