package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aFreePortHasNothingListeningAndCanBeBound() throws IOException {
        int port = Ports.free();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        try (ServerSocket server = new ServerSocket(port)) {
            assertEquals(port, server.getLocalPort());
        }
    }

    @Test
    void portsAskedTogetherAreDistinct() {
        int[] ports = Ports.free(5);
        assertEquals(5, ports.length);
        assertEquals(5, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
    }
}
