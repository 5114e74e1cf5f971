package org.opencache.node.http.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

/** client_header_timeout and max_connections_per_client, with real sockets (docs/design.md §6). */
class ClientLimitsIT extends ThreePartyTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(1_000);
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    @DisplayName("client_header_timeout: a client sending its head one byte per 100 ms is cut off after the timeout")
    void tricklingClientIsDisconnectedAfterTheHeaderTimeout() throws Exception {
        cache = CacheFixture.guarded(origin.authority(), new ClientLimits(HEADER_TIMEOUT, 0));
        Socket socket = connect("127.0.0.1");

        long start = System.nanoTime();
        Thread trickler = trickle(socket, "GET /a HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n");
        int read = readUntilClosed(socket);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        trickler.join(5_000);

        assertEquals(-1, read, "closed without a response");
        assertTrue(took.compareTo(HEADER_TIMEOUT.minusMillis(100)) >= 0 && took.toMillis() < 2_000, "took " + took);
        assertEquals(0, origin.requests());
    }

    @Test
    @DisplayName("client_header_timeout: on a kept-alive connection, the next request's head is timed from its first byte")
    void tricklingSecondRequestIsDisconnectedToo() throws Exception {
        origin.route("/a", TestOrigin.ok("a"));
        cache = CacheFixture.guarded(origin.authority(), new ClientLimits(HEADER_TIMEOUT, 0));
        Socket socket = connect("127.0.0.1");
        socket.getOutputStream().write(request("/a").getBytes(StandardCharsets.US_ASCII));
        assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 200 "));
        // Idle for longer than the timeout (the idle timeout governs a kept-alive connection), then trickle.
        Thread.sleep(HEADER_TIMEOUT.multipliedBy(3).toMillis() / 2);

        long start = System.nanoTime();
        Thread trickler = trickle(socket, request("/a") + "X-Slow: " + "s".repeat(200) + "\r\n\r\n");
        int read = readUntilClosed(socket);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        trickler.join(5_000);

        assertEquals(-1, read);
        assertTrue(took.compareTo(HEADER_TIMEOUT.minusMillis(100)) >= 0 && took.toMillis() < 2_000, "took " + took);
        assertEquals(1, origin.requests("/a"));
    }

    @Test
    @DisplayName("client_header_timeout: a head sent in pieces within the timeout is served")
    void slowButTimelyHeadIsServed() throws Exception {
        origin.route("/a", TestOrigin.ok("a"));
        cache = CacheFixture.guarded(origin.authority(), new ClientLimits(HEADER_TIMEOUT, 0));
        Socket socket = connect("127.0.0.1");

        OutputStream out = socket.getOutputStream();
        for (String piece : new String[] {"GET /a HT", "TP/1.1\r\nHost: x\r\n", "X-A: 1\r\n", "\r\n"}) {
            out.write(piece.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(150);
        }

        assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 200 "));
    }

    @Test
    @DisplayName("max_connections_per_client: the N+1th connection of an address is closed, another address still connects")
    void connectionsBeyondTheLimitOfOneAddressAreClosed() throws Exception {
        origin.route("/a", TestOrigin.ok("a"));
        cache = CacheFixture.guarded(origin.authority(), new ClientLimits(Duration.ofSeconds(10), 3));
        List<Socket> allowed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            allowed.add(servedFrom("127.0.0.1"));
        }

        Socket fourth = connect("127.0.0.1");
        assertEquals(-1, sendAndRead(fourth, request("/a")), "the 4th connection of 127.0.0.1 is closed unanswered");
        servedFrom("127.0.0.2");

        allowed.getFirst().close();
        // The server counts the close when it sees it; until then a new connection may still be refused.
        Await.until("a new connection of 127.0.0.1 served after one of its 3 closed", Duration.ofSeconds(5), () -> {
            try {
                servedFrom("127.0.0.1");
                return true;
            } catch (IOException refused) {
                return false;
            }
        });
    }

    // A connection from `source` whose request was answered, kept open.
    private Socket servedFrom(String source) throws IOException {
        Socket socket = connect(source);
        socket.getOutputStream().write(request("/a").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 200 ")) {
            throw new IOException("not served: " + head);
        }
        return socket;
    }

    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", cache.port()), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private String request(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + origin.authority() + "\r\n\r\n";
    }

    // Sends `text` one byte per 100 ms until it is sent or the connection breaks.
    private static Thread trickle(Socket socket, String text) {
        return Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException broken) {
                // The server closed the connection: what the test waits for.
            }
        });
    }

    // -1 when the server has closed the connection (the write may already fail); the first byte when it answers.
    private static int sendAndRead(Socket socket, String text) throws IOException {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (SocketException closed) {
            return -1;
        }
        return readUntilClosed(socket);
    }

    // -1 when the server closes (or resets) the connection; the first byte when it answers.
    private static int readUntilClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    // The status line and fields of a response (up to the empty line), and its body if it has a Content-Length.
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                in.readNBytes(Integer.parseInt(line.substring(15).strip()));
            }
        }
        return text;
    }
}
