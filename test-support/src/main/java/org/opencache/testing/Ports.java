package org.opencache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for servers a test starts, and ports where nothing listens. */
public final class Ports {
    private Ports() {
    }

    /** A port that was free a moment ago, on every address: nothing listens on it now. */
    public static int free() {
        return free(1)[0];
    }

    /**
     * Distinct ports free now. The sockets are held open together: one closed before the next is
     * asked for may be handed out again, and two config keys with one port fail the start.
     */
    public static int[] free(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                close(socket);
            }
        }
    }

    private static void close(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
