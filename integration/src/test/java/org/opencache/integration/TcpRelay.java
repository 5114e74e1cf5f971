package org.opencache.integration;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback, between a node and the controller's link: the node connects to
 * {@link #port()}, the relay to the controller. {@link #cut()} drops every connection and stops
 * listening, as the death of the node's process would: no goodbye, and nothing more from it.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    /** Starts relaying to {@code 127.0.0.1:targetPort}. */
    TcpRelay(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("relay-accept-" + port()).start(this::acceptAll);
    }

    /** Where the node is to connect. */
    int port() {
        return listener.getLocalPort();
    }

    /** Drops every connection, both ways, and refuses new ones. */
    void cut() {
        cut = true;
        close(listener);
        sockets.forEach(TcpRelay::close);
    }

    @Override
    public void close() {
        cut();
    }

    private void acceptAll() {
        while (!cut) {
            Socket node;
            try {
                node = listener.accept();
            } catch (IOException closed) {
                return; // cut
            }
            Socket controller;
            try {
                controller = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            } catch (IOException refused) {
                close(node); // as a refused connection would be: the node retries
                continue;
            }
            sockets.add(node);
            sockets.add(controller);
            if (cut) { // cut() may have run before these were added
                close(node);
                close(controller);
                return;
            }
            pump(node, controller);
            pump(controller, node);
        }
    }

    /** Copies {@code from} to {@code to} until either closes, then closes both. */
    private static void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("relay-" + from.getLocalPort() + "-" + to.getLocalPort()).start(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException closed) {
                // one side went away, or cut() closed it
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private static void close(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is all that matters
        }
    }
}
