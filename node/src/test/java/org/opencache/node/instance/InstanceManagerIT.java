package org.opencache.node.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.PortRange;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoreWriter;
import org.opencache.node.store.TieredObjectStore;

/**
 * Instances on real ports with the real store: start opens a port, pause closes it and keeps
 * content, start resumes on the same port, stop frees the port and deletes content, and a new
 * manager on the same cache_path restores what was running.
 */
class InstanceManagerIT {
    /** Below Linux's ephemeral range (32768+), so client sockets of other tests do not hold these. */
    private static final int FIRST_PORT = 20301;

    @TempDir
    Path cache;
    TieredObjectStore store;
    InstanceManager manager;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Answers with the instance's expression, so a test sees which instance served it. */
    private static final HandlerFactory ECHO = (expression, horizon, counters) -> new InstanceHandler(new Handler.Abstract() {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                              org.eclipse.jetty.util.Callback callback) {
            counters.hit(expression.canonical().length());
            Content.Sink.write(response, true, expression.canonical() + " " + horizon.get().toSeconds(), callback);
            return true;
        }
    }, Optional.empty());

    @BeforeEach
    void open() throws Exception {
        store = TieredObjectStore.open(cache, 1 << 20, 0, 1 << 20, 256, Clock.systemUTC());
        manager = newManager();
    }

    private InstanceManager newManager() throws Exception {
        return new InstanceManager("127.0.0.1", new QueuedThreadPool(16, 2),
                new PortAllocator(new PortRange(FIRST_PORT, FIRST_PORT + 7), InetAddress.getLoopbackAddress()), ECHO,
                server -> new ServerConnector(server, 0, -1, new HttpConnectionFactory()), store, cache,
                Redirector.NONE);
    }

    @AfterEach
    void close() {
        manager.close();
        store.close();
    }

    private String get(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private void storeObject(String instance) {
        StoreWriter writer = store.begin(new StoreKey(instance, "k"), new ObjectMeta(200, List.of(),
                Instant.now(), Instant.now(), Instant.now().plusSeconds(60), 3));
        writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(writer.commit());
    }

    @Test
    void startPauseResumeStop() throws Exception {
        List<InstanceState> started = manager.start(ExpressionList.parse("a.example|b.example"), Duration.ofSeconds(60));
        assertEquals(2, started.size());
        int port = started.get(0).port();
        assertTrue(port >= FIRST_PORT && started.get(1).port() > port, started.toString());
        assertEquals("a.example 60", get(port));
        assertEquals("b.example 60", get(started.get(1).port()));
        storeObject("a.example");

        List<InstanceState> paused = manager.pause(ExpressionList.parse("a.example"));
        assertEquals(new InstanceState("a.example", InstanceStatus.PAUSE, port, 60), paused.get(0));
        assertThrows(ConnectException.class, () -> get(port), "a paused instance's port is closed");
        assertEquals(1, store.objectCount("a.example"), "pause keeps content");

        assertEquals(port, manager.start(ExpressionList.parse("a.example"), Duration.ofSeconds(60)).get(0).port());
        assertEquals("a.example 60", get(port));

        List<InstanceState> stopped = manager.stop(ExpressionList.parse("a.example"));
        assertEquals(new InstanceState("a.example", InstanceStatus.STOP, 0, 60), stopped.get(0));
        assertThrows(ConnectException.class, () -> get(port));
        assertEquals(0, store.objectCount("a.example"), "stop deletes content");
        assertEquals(port, manager.start(ExpressionList.parse("c.example"), Duration.ZERO).get(0).port(),
                "stop frees the port");
    }

    @Test
    void wildcardStartsTheCatchAllInstanceAndWildcardPauseTouchesAll() throws Exception {
        manager.start(ExpressionList.parse("a.example"), Duration.ZERO);
        assertEquals("*", manager.start(ExpressionList.all(), Duration.ZERO).get(0).expr());
        assertEquals(2, manager.pause(ExpressionList.all()).size());
        assertTrue(manager.states().stream().allMatch(s -> s.status() == InstanceStatus.PAUSE));
    }

    @Test
    void commandsOnUnknownInstancesSaySo() {
        InstanceException e = assertThrows(InstanceException.class,
                () -> manager.pause(ExpressionList.parse("nowhere.example")));
        assertTrue(e.getMessage().contains("nowhere.example"), e.getMessage());
    }

    @Test
    void newHorizonAppliesInPlaceKeepingThePortItsConnectionsAndContent() throws Exception {
        int port = manager.start(ExpressionList.parse("a.example"), Duration.ofSeconds(5)).get(0).port();
        storeObject("a.example");
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(5_000);
            assertTrue(exchange(client).endsWith("a.example 5"));

            InstanceState restarted = manager.start(ExpressionList.parse("a.example"), Duration.ofSeconds(9)).get(0);

            assertEquals(new InstanceState("a.example", InstanceStatus.START, port, 9), restarted);
            // The same persistent connection (RFC 9112 §9.3) answers with the new horizon: the port was not reopened.
            assertTrue(exchange(client).endsWith("a.example 9"));
        }
        assertEquals(1, store.objectCount("a.example"), "the store is kept");
    }

    /** One keep-alive request on {@code client}; returns the response up to the end of its body. */
    private static String exchange(Socket client) throws IOException {
        client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        StringBuilder response = new StringBuilder();
        int contentLength = -1;
        int headerEnd = -1;
        while (headerEnd < 0 || response.length() < headerEnd + contentLength) {
            int b = client.getInputStream().read();
            if (b < 0) {
                throw new IOException("connection closed after: " + response);
            }
            response.append((char) b);
            if (headerEnd < 0 && response.toString().endsWith("\r\n\r\n")) {
                headerEnd = response.length();
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(response);
                assertTrue(length.find(), response.toString());
                contentLength = Integer.parseInt(length.group(1));
            }
        }
        return response.toString();
    }

    @Test
    void restartRestoresRunningAndPausedInstancesOnTheirPorts() throws Exception {
        int a = manager.start(ExpressionList.parse("a.example"), Duration.ofSeconds(7)).get(0).port();
        manager.start(ExpressionList.parse("b.example"), Duration.ZERO);
        manager.pause(ExpressionList.parse("b.example"));
        manager.close();

        manager = newManager();
        manager.restore();
        assertEquals("a.example 7", get(a));
        assertEquals(List.of(InstanceStatus.START, InstanceStatus.PAUSE),
                manager.states().stream().map(InstanceState::status).toList());
    }

    @Test
    void exhaustedPortRangeIsAClearError() throws Exception {
        InstanceException e = assertThrows(InstanceException.class, () -> {
            for (int i = 0; i <= 8; i++) {
                manager.start(ExpressionList.parse("h" + i + ".example"), Duration.ZERO);
            }
        }, "8 ports cannot serve 9 instances");
        assertTrue(e.getMessage().contains("port_range"), e.getMessage());
    }
}
