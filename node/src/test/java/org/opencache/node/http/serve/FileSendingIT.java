package org.opencache.node.http.serve;

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
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.expr.Expression;
import org.opencache.node.http.origin.NodeAddresses;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.testing.Await;
import org.opencache.testing.TestOrigin;

/**
 * Large hits leave from their body files ({@link FileSendingEndPoint}, {@code sendfile(2)}) on an
 * instance's own connector over the node's real store, to real sockets.
 */
class FileSendingIT {
    private static final int LARGE = 300 * 1024; // over the largest body a shared segment holds
    private static final int HUGE = 32 << 20; // more than loopback socket buffers hold: sends are partial
    private static final int SENDFILE_MIN_SIZE = 32 << 10;

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
        store = TieredObjectStore.open(cachePath, 64 << 20, 256 << 20, 0, 256, Clock.systemUTC());
        origins = OriginClient.start(Duration.ofSeconds(5), Duration.ofSeconds(30),
                ClientHttpConfiguration.RELAYABLE_FIELD_BYTES,
                new NodeAddresses("127.0.0.1", Clock.systemUTC()));
        Expression expression = Expression.parse(origin.authority());
        proxy = new Server();
        connector = new FileSendingConnector(proxy, SENDFILE_MIN_SIZE, new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        proxy.addConnector(connector);
        proxy.setHandler(new CacheHandler(expression, store, origins, counters, Duration.ZERO, Clock.systemUTC(),
                OriginAccess.forInstance(expression, List.of())));
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
        String small = pattern(SENDFILE_MIN_SIZE - 1);
        storeBoth(large, small);

        // The memory tier keeps its copies; only bytes sent from the file show the change.
        overwriteInPlace(bodyFile(large), large);
        overwriteInPlace(bodyFile(small), small);

        assertSameText(large.toUpperCase(Locale.ROOT), get("/large", null));
        assertSameText(small, get("/small", null));
        assertEquals(2, origin.requests());
    }

    @Test
    @DisplayName("a large range of a body is sent from the right place in its file; a small one from memory")
    void largeRangesLeaveFromTheirFiles() throws Exception {
        String large = pattern(LARGE);
        storeBoth(large, pattern(100));
        overwriteInPlace(bodyFile(large), large);

        String changed = large.toUpperCase(Locale.ROOT);
        assertSameText(changed.substring(1000, 201_000), get("/large", "bytes=1000-200999"));
        assertSameText(changed.substring(LARGE - 40_000), get("/large", "bytes=-40000"));
        assertSameText(large.substring(5, 1005), get("/large", "bytes=5-1004"));
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
        Path file = bodyFile(huge);

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
        String huge = pattern(HUGE);
        origin.route("/huge", TestOrigin.ok(huge, "Cache-Control", "max-age=600"));
        get("/huge");
        awaitStored("/huge");
        Path file = bodyFile(huge);

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
    private void awaitStored(String path) {
        Await.until(path + " is stored", Duration.ofSeconds(5), () -> store.lookup(key(path)).isPresent());
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

    /** Misses that store both bodies, then waits until both are in the store. */
    private void storeBoth(String large, String small) throws Exception {
        origin.route("/large", TestOrigin.ok(large, "Cache-Control", "max-age=600"));
        origin.route("/small", TestOrigin.ok(small, "Cache-Control", "max-age=600"));
        assertSameText(large, get("/large", null));
        assertSameText(small, get("/small", null));
        awaitStored("/large");
        awaitStored("/small");
    }

    /** The body of a GET, with a {@code Range} field unless {@code range} is null. */
    private String get(String path, String range) throws IOException {
        try (Socket client = request(path, range)) {
            InputStream in = client.getInputStream();
            int length = readHead(in, range == null ? "HTTP/1.1 200" : "HTTP/1.1 206");
            return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        }
    }

    private String get(String path) throws IOException {
        return get(path, null);
    }

    private Socket request(String path) throws IOException {
        return request(path, null);
    }

    private Socket request(String path, String range) throws IOException {
        Socket client = new Socket("127.0.0.1", connector.getLocalPort());
        client.setSoTimeout(10_000);
        client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + origin.authority()
                + (range == null ? "" : "\r\nRange: " + range)
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return client;
    }

    /** Reads a 200's head and returns its Content-Length. */
    private static int readHead(InputStream in) throws IOException {
        return readHead(in, "HTTP/1.1 200");
    }

    /** Reads a head with this status line start and returns its Content-Length. */
    private static int readHead(InputStream in, String statusLine) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the head: " + head);
            }
            head.write(b);
        }
        List<String> lines = head.toString(StandardCharsets.ISO_8859_1).lines().toList();
        assertTrue(lines.getFirst().startsWith(statusLine), lines.getFirst());
        return lines.stream()
                .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).trim()))
                .findFirst()
                .orElseThrow(() -> new IOException("no Content-Length: " + lines));
    }

    /** The one segment file in the store that holds {@code body}. */
    private Path bodyFile(String body) throws IOException {
        try (Stream<Path> files = Files.walk(cachePath.resolve("objects/segments"))) {
            List<Path> found = files.filter(Files::isRegularFile).filter(f -> offsetIn(f, body) >= 0).toList();
            assertEquals(1, found.size(), "segment files holding a body of " + body.length() + " bytes: " + found);
            return found.getFirst();
        }
    }

    /** Rewrites {@code body} in its segment file in upper case: the same length, other bytes. */
    private static void overwriteInPlace(Path file, String body) throws IOException {
        long offset = offsetIn(file, body);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(offset);
            out.write(body.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static long offsetIn(Path file, String body) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).indexOf(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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

    private static void awaitClosed(Path file) {
        Await.until("no file descriptor open on " + file, Duration.ofSeconds(5), () -> openCount(file) == 0,
                () -> openCount(file) + " still open");
    }
}
