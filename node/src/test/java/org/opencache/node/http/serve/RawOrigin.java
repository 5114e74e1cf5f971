package org.opencache.node.http.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An origin that answers each path with exact bytes on a socket, then closes the connection: for
 * what {@link org.opencache.testing.TestOrigin}'s Jetty server will not send (interim responses,
 * chosen transfer codings, framing an HTTP library would correct). Each answer is a list of
 * parts, written and flushed one by one.
 */
final class RawOrigin implements AutoCloseable {
    private final ServerSocket socket;
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    RawOrigin() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("raw-origin").start(this::accept);
    }

    /** Answers {@code path} with these parts, each written and flushed in turn, then closes. */
    RawOrigin answer(String path, String... parts) {
        answers.put(path, List.of(parts));
        return this;
    }

    /**
     * Answers {@code path} with {@code first}, then waits (up to 10 s) for {@code gate} before the
     * other parts: to show that what the first part holds reaches the client before the rest exists.
     */
    RawOrigin answer(String path, String first, CountDownLatch gate, String... rest) {
        List<String> parts = new ArrayList<>();
        parts.add(first);
        parts.addAll(List.of(rest));
        answers.put(path, parts);
        gates.put(path, gate);
        return this;
    }

    /** The origin's {@code host:port}. */
    String authority() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The request heads received, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many requests named {@code path}. */
    long requests(String path) {
        return requests.stream().filter(head -> head.split(" ", 3)[1].equals(path)).count();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            String head = readHead(connection.getInputStream());
            requests.add(head);
            String path = head.split(" ", 3)[1];
            List<String> parts = answers.getOrDefault(path, List.of("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
            OutputStream out = connection.getOutputStream();
            for (int i = 0; i < parts.size(); i++) {
                out.write(parts.get(i).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                CountDownLatch gate = gates.get(path);
                if (i == 0 && gate != null && !gate.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException ignored) {
            // The cache hung up; nothing to answer.
        }
    }

    /** Reads a message head, up to and without the empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended in the head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
