package org.opencache.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.expr.Expression;
import org.opencache.node.TestOrigin;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.TieredObjectStore;

/**
 * Large hits leave from their body files ({@link FileSendingEndPoint}, {@code sendfile(2)}) on an
 * instance's own connector over the node's real store, to real sockets.
 */
class FileSendingIT {
    private static final int LARGE = 256 * 1024;
    private static final int HUGE = 32 << 20; // more than loopback socket buffers hold: sends are partial

    @TempDir
    Path cachePath;
    private final TestOrigin origin = new TestOrigin();
    private final InstanceCounters counters = new InstanceCounters();
    private TieredObjectStore store;
    private OriginClient origins;
    private Server proxy;
    private FileSendingConnector connector;

    FileSendingIT() throws Exception {
    }

    @BeforeEach
    void start() throws Exception {
        store = TieredObjectStore.open(cachePath, 64 << 20, 256 << 20, 0, Clock.systemUTC());
        origins = OriginClient.start();
        Expression expression = Expression.parse(origin.authority());
        proxy = new Server();
        connector = new FileSendingConnector(proxy, new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        proxy.addConnector(connector);
        proxy.setHandler(new CacheHandler(expression, store, origins, counters, Duration.ZERO, Clock.systemUTC()));
        proxy.start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        origins.close();
        store.close();
        origin.close();
    }

    @Test
    @DisplayName("a hit on a large body is sent from its file; a small one from memory")
    void largeHitsLeaveFromTheirFiles() throws Exception {
        String large = pattern(LARGE);
        String small = pattern(FileSendingEndPoint.MIN_LENGTH - 1);
        origin.route("/large", TestOrigin.ok(large, "Cache-Control", "max-age=600"));
        origin.route("/small", TestOrigin.ok(small, "Cache-Control", "max-age=600"));
        assertSameText(large, get("/large"));
        assertSameText(small, get("/small"));
        awaitStored("/large");
        awaitStored("/small");

        // The memory tier keeps its copies; only a body sent from the file shows the new bytes.
        overwriteInPlace(bodyFile(LARGE), 'L');
        overwriteInPlace(bodyFile(small.length()), 'S');

        assertSameText("L".repeat(LARGE), get("/large"));
        assertSameText(small, get("/small"));
        assertEquals(2, origin.requests());
    }

    @Test
    @DisplayName("a slow client gets the whole body though it is deleted mid-send; then its file is closed")
    void deletedMidSendStillArrivesWhole() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files in /proc/self/fd (Linux)");
        String huge = pattern(HUGE);
        origin.route("/huge", TestOrigin.ok(huge, "Cache-Control", "max-age=600"));
        assertSameText(huge, get("/huge"));
        awaitStored("/huge");
        Path file = bodyFile(HUGE);

        try (Socket client = request("/huge")) {
            InputStream in = client.getInputStream();
            int bodyLength = readHead(in);
            byte[] first = in.readNBytes(1 << 20);
            assertTrue(store.remove(key("/huge")));
            assertTrue(Files.notExists(file), "the body file is deleted");
            assertTrue(openCount(file) > 0, "the send in flight keeps the deleted file open");
            byte[] rest = in.readNBytes(bodyLength - first.length);
            assertSameText(huge, new String(first, StandardCharsets.US_ASCII) + new String(rest, StandardCharsets.US_ASCII));
        }
        awaitClosed(file);
    }

    @Test
    @DisplayName("a client that goes away mid-send does not leave the file open")
    void abandonedSendReleasesTheFile() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files in /proc/self/fd (Linux)");
        origin.route("/huge", TestOrigin.ok(pattern(HUGE), "Cache-Control", "max-age=600"));
        get("/huge");
        awaitStored("/huge");
        Path file = bodyFile(HUGE);

        try (Socket client = request("/huge")) {
            readHead(client.getInputStream());
            client.getInputStream().readNBytes(1 << 20);
        }
        assertTrue(store.remove(key("/huge")));
        awaitClosed(file);
    }

    private StoreKey key(String path) {
        return CacheKeys.key(origin.authority(), "127.0.0.1", origin.port(), path);
    }

    /** Waits for a miss's body to be committed: the client can have it all a moment before. */
    private void awaitStored(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (store.lookup(key(path)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(store.lookup(key(path)).isPresent(), path + " is stored");
    }

    /** ASCII text where every 16-byte line differs, so bytes sent from a wrong offset show. */
    private static String pattern(int length) {
        StringBuilder text = new StringBuilder(length + 16);
        for (int line = 0; text.length() < length; line++) {
            text.append(String.format("%015x\n", line));
        }
        return text.substring(0, length);
    }

    /** Compares long bodies, saying where they first differ rather than printing them. */
    private static void assertSameText(String expected, String actual) {
        int at = Arrays.mismatch(expected.toCharArray(), actual.toCharArray());
        if (at >= 0) {
            fail("bodies differ at byte " + at + " of " + expected.length() + " (got " + actual.length() + "): expected \""
                    + expected.substring(at, Math.min(expected.length(), at + 20)) + "\", got \""
                    + actual.substring(at, Math.min(actual.length(), at + 20)) + "\"");
        }
    }

    private String get(String path) throws IOException {
        try (Socket client = request(path)) {
            InputStream in = client.getInputStream();
            int length = readHead(in);
            return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        }
    }

    private Socket request(String path) throws IOException {
        Socket client = new Socket("127.0.0.1", connector.getLocalPort());
        client.setSoTimeout(10_000);
        client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + origin.authority()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return client;
    }

    /** Reads a 200's head and returns its Content-Length. */
    private static int readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the head: " + head);
            }
            head.write(b);
        }
        List<String> lines = head.toString(StandardCharsets.ISO_8859_1).lines().toList();
        assertTrue(lines.getFirst().startsWith("HTTP/1.1 200"), lines.getFirst());
        return lines.stream()
                .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).trim()))
                .findFirst()
                .orElseThrow(() -> new IOException("no Content-Length: " + lines));
    }

    /** The one body file in the store of this length. */
    private Path bodyFile(long length) throws IOException {
        try (Stream<Path> files = Files.walk(cachePath)) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".body"))
                    .filter(f -> f.toFile().length() == length)
                    .toList();
            assertEquals(1, found.size(), "body files of " + length + " bytes: " + found);
            return found.getFirst();
        }
    }

    private static void overwriteInPlace(Path file, char fill) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] bytes = new byte[(int) out.length()];
            Arrays.fill(bytes, (byte) fill);
            out.write(bytes);
        }
    }

    /** How many of this process's file descriptors are open on {@code file}. */
    private static long openCount(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains(name);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static void awaitClosed(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (openCount(file) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, openCount(file), "file descriptors still open on " + file);
    }
}
