package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/opencache} as a separate process, the way an operator does: start-up, a real
 * JSON-RPC call, shutdown on SIGTERM, and the exit status of configuration errors.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process launch(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // The launcher must use the JDK running this test (>= 21), whatever the machine's default is.
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        return builder.start();
    }

    private Result run(String... args) throws Exception {
        Path output = Files.createTempFile(dir, "out", ".log");
        Process process = launch(output, args);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Result(process.exitValue(), Files.readString(output));
    }

    private record Result(int status, String output) {
    }

    @Test
    void controllerServesJsonRpcAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Path config = dir.resolve("controller.conf");
        Files.writeString(config, String.join("\n", "[config]",
                "controller_host = 127.0.0.1",
                "controller_port = " + port,
                "notification_port = " + freePort(),
                "data_path = " + dir.resolve("db"),
                "verbosity = 3", ""));
        Path output = dir.resolve("controller.log");
        Process process = launch(output, "--controller", "--config", config.toString());
        try {
            String stat = awaitStat(port, process, output);
            assertTrue(stat.contains("\"cache_hit\":0"), stat);
        } finally {
            process.destroy(); // SIGTERM
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "controller did not stop on SIGTERM");
        String log = Files.readString(output);
        assertEquals(143, process.exitValue(), "exit status after SIGTERM (128 + 15)\n" + log);
        assertTrue(log.contains("shutting down") && log.contains("stopped"), log);
    }

    /** Polls {@code stat} until the controller and its database answer (first run builds nothing: the jar exists). */
    private static String awaitStat(int port, Process process, Path output) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\"}"))
                .build();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            assertTrue(process.isAlive(), () -> "controller exited early:\n" + read(output));
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"result\"")) {
                    return body;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(200);
        }
        throw new AssertionError("controller did not answer stat within 90 s:\n" + read(output));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void invalidValueExitsWithStatus2NamingFileAndKey() throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "[config]\ncontroller_port = 70000\n");
        Result result = run("--controller", "--config", config.toString());
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("bad.conf") && result.output().contains("controller_port")
                && result.output().contains("70000"), result.output());
    }

    @Test
    void missingConfigFileExitsWithStatus2() throws Exception {
        Result result = run("--controller", "--config", dir.resolve("nowhere.conf").toString());
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("nowhere.conf"), result.output());
    }

    @Test
    void noRoleIsAUsageError() throws Exception {
        Result result = run("--config", "x.conf");
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("--controller"), result.output());
    }

    @Test
    void helpAndVersionWork() throws Exception {
        Result help = run("--help");
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("--controller") && help.output().contains("--node"), help.output());
        Result version = run("--version");
        assertEquals(0, version.status(), version.output());
        assertTrue(version.output().startsWith("opencache "), version.output());
    }
}
