package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * logrotate's way with a node run by {@code bin/opencache --node}: both logs are renamed, then
 * {@code bin/opencache reopen-logs --config FILE} finds the process by its command line and sends
 * it SIGHUP; the process log ({@code log_path}) and the access log ({@code access_log}) go on in
 * new files of the same names, and the renamed files keep what was written before.
 */
class LogReopenIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();
    /** Below Linux's ephemeral range, apart from the other tests' ranges. */
    private static final int PORT = 21721;

    @TempDir
    Path dir;

    private ProcessBuilder launcher(Path output, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        return builder;
    }

    @Test
    void reopenLogsSignalsTheNodeWhichReopensBothLogs() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path processLog = logs.resolve("node.log");
        Path accessLog = logs.resolve("access.log");
        Path output = dir.resolve("stdout.log");
        try (TestOrigin origin = new TestOrigin().route("/k", TestOrigin.ok("body", "Cache-Control", "max-age=60"))) {
            Path cache = Files.createDirectories(dir.resolve("cache"));
            Files.write(cache.resolve("instances.json"), Json.mapper().writeValueAsBytes(List.of(
                    new InstanceState("127.0.0.1:" + origin.port(), InstanceStatus.START, PORT, 0))));
            Path config = TestConfigs.node(cache, Ports.free())
                    .set("node_port", Ports.free())
                    .set("port_range", PORT + "," + PORT)
                    .set("log_path", processLog)
                    .set("access_log", accessLog)
                    .write(dir.resolve("node.conf"));
            Process node = launcher(output, "--node", "--config", config.toString()).start();
            try {
                awaitServing(output);
                Await.until("the first access log line", Duration.ofSeconds(10), () -> lineCount(accessLog) == 1);
                Files.move(processLog, logs.resolve("node.log.1"));
                Files.move(accessLog, logs.resolve("access.log.1"));

                Path reopenOutput = dir.resolve("reopen.out");
                Process reopen = launcher(reopenOutput, "reopen-logs", "--config", config.toString()).start();
                assertTrue(reopen.waitFor(120, TimeUnit.SECONDS));
                String said = Files.readString(reopenOutput);
                assertEquals(0, reopen.exitValue(), said);
                assertTrue(said.contains("sent SIGHUP to " + node.pid()), said);

                Await.until("both logs reopened", Duration.ofSeconds(10),
                        () -> Files.exists(processLog) && Files.readString(processLog).contains("access log " + accessLog
                                + " reopened"), () -> read(processLog) + "\n" + read(output));
                assertTrue(Files.readString(processLog).contains("log file " + processLog + " reopened"));
                assertEquals(200, get("/k").statusCode());
                Await.until("the next line in the new access log", Duration.ofSeconds(10),
                        () -> lineCount(accessLog) == 1, () -> read(accessLog));
                assertTrue(Files.readString(accessLog).contains("\"OpenCache; hit\""), read(accessLog));
                assertEquals(1, lineCount(logs.resolve("access.log.1")), "the renamed file keeps its line");
                assertTrue(Files.readString(logs.resolve("node.log.1")).contains("ready"),
                        "the renamed process log keeps what was logged before");
                assertTrue(node.isAlive(), "SIGHUP reopens; it does not stop the process");
            } finally {
                node.destroy();
                node.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void reopenLogsWithoutARunningProcessSaysSoAndFails() throws Exception {
        Path output = dir.resolve("reopen.out");
        Path config = Files.writeString(dir.resolve("none.conf"), "[config]\n");
        Process reopen = launcher(output, "reopen-logs", "--config", config.toString()).start();
        assertTrue(reopen.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, reopen.exitValue());
        assertTrue(Files.readString(output).contains("no running OpenCache process found with --config"),
                Files.readString(output));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitServing(Path output) {
        Await.value("the node serving", Duration.ofSeconds(60), () -> {
            try {
                return Optional.of(get("/k"));
            } catch (IOException notYet) {
                return Optional.empty();
            }
        }, () -> read(output));
    }

    private static long lineCount(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
