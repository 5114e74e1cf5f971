import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.common.protocol.LinkEndpoint;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.controller.Controller;
import org.opencache.integration.Chromium;
import org.opencache.testing.TestConfigs;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The console's first screen with a large fleet (bench/console-load.sh runs it): a real
 * controller with its embedded MongoDB, NODES fake nodes (raw ZeroMQ DEALER sockets that say
 * hello with INSTANCES started instances each, as a node would), and headless chromium opening
 * the console RUNS times, each time in a fresh profile (a cold cache). Measures from navigation
 * start to the page's {@code console-ready} mark (the fleet table drawn from the API's answers)
 * and the bytes transferred (page, script, styles, uPlot and the API calls).
 *
 * Arguments: NODES INSTANCES RUNS WORK_DIR.
 */
public final class ConsoleLoadBench {
    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int instances = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);

        var config = TestConfigs.controller(work.resolve("db")).nodeTimeout(Duration.ofMinutes(30)).build();
        try (Controller controller = Controller.start(config); ZContext zmq = new ZContext(1)) {
            long setup = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                hello(zmq, config.notificationPort(), n, instances);
            }
            System.out.printf("fleet: %d nodes x %d instances said hello in %d ms%n", nodes, instances,
                    (System.nanoTime() - setup) / 1_000_000);
            String url = "http://127.0.0.1:" + controller.apiAddress().getPort() + "/";
            List<Long> millis = new ArrayList<>();
            List<Long> bytes = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                ChromeDriver browser = Chromium.start(work.resolve("profile-" + run));
                try {
                    browser.get(url);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!"fleet".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-loaded"))) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the fleet view did not load within 30 s");
                        }
                        Thread.sleep(20);
                    }
                    int rows = browser.findElements(By.cssSelector("#fleet-table tbody tr")).size();
                    if (rows != nodes) {
                        throw new IllegalStateException("the fleet table has " + rows + " rows, not " + nodes);
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) browser.executeScript("""
                            const ready = performance.getEntriesByName('console-ready')[0].startTime;
                            const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
                                .filter(e => e.responseEnd <= ready);
                            return {ready: Math.round(ready),
                                    transfer: all.reduce((a, e) => a + e.transferSize, 0),
                                    body: all.reduce((a, e) => a + e.decodedBodySize, 0),
                                    requests: all.length};
                            """);
                    long ms = ((Number) m.get("ready")).longValue();
                    long transfer = ((Number) m.get("transfer")).longValue();
                    System.out.printf("run %d: first screen in %d ms, %d bytes transferred (%d bytes of bodies, %s requests)%n",
                            run + 1, ms, transfer, ((Number) m.get("body")).longValue(), m.get("requests"));
                    millis.add(ms);
                    bytes.add(transfer);
                } finally {
                    browser.quit();
                }
            }
            Collections.sort(millis);
            Collections.sort(bytes);
            System.out.printf("median: first screen in %d ms (target < 1000 ms), page weight %d bytes%n",
                    millis.get(millis.size() / 2), bytes.get(bytes.size() / 2));
        }
    }

    /** One fake node: a DEALER that says hello with {@code instances} started instances and waits for the answer. */
    private static void hello(ZContext zmq, int port, int n, int instances) throws Exception {
        ZMQ.Socket dealer = zmq.createSocket(SocketType.DEALER);
        String uuid = String.format("00000000-0000-4000-8000-%012d", n);
        dealer.setIdentity(uuid.getBytes(UTF_8));
        dealer.setLinger(0);
        dealer.setHandshakeIvl(1_000);
        dealer.connect(LinkEndpoint.tcp("127.0.0.1", port));
        List<InstanceState> list = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            list.add(new InstanceState("site" + i + ".example.com/videos", InstanceStatus.START, 49003 + i, 60));
        }
        String host = "10.0." + (n / 250) + "." + (n % 250 + 1);
        dealer.send(MessageCodec.encode(new Message.Request(1, Methods.HELLO,
                MessageCodec.params(new Hello(uuid, host, 49002, "bench", list)))), 0);
        dealer.setReceiveTimeOut(30_000);
        if (dealer.recv(0) == null) {
            throw new IllegalStateException("no answer to node " + n + "'s hello");
        }
        // The socket stays open (closed with the context): the node stays connected and up.
    }
}
