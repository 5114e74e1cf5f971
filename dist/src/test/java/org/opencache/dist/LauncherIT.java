package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencache.controller.state.EmbeddedMongo;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;

/**
 * Runs {@code bin/opencache} as a separate process, the way an operator does: start-up, a real
 * JSON-RPC call, shutdown on SIGTERM, and the exit status of configuration errors.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process launch(Path output, String... args) throws IOException {
        return launch(output, Map.of(), args);
    }

    private Process launch(Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // The launcher must use the JDK running this test (>= 21), whatever the machine's default is.
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        // Whatever heap options the machine running the tests sets would defeat the sizing under test.
        builder.environment().keySet().removeAll(
                List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "OPENCACHE_JAVA_OPTS", "MALLOC_ARENA_MAX"));
        builder.environment().putAll(env);
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
        int[] ports = Ports.free(2); // distinct: two keys with one port fail the start
        int port = ports[0];
        Path config = dir.resolve("controller.conf");
        Files.writeString(config, String.join("\n", "[config]",
                "controller_host = 127.0.0.1",
                "controller_port = " + port,
                "notification_port = " + ports[1],
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
    private static String awaitStat(int port, Process process, Path output) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\"}"))
                .build();
        return Await.value("the controller answering stat", Duration.ofSeconds(90), () -> {
            assertTrue(process.isAlive(), () -> "controller exited early:\n" + read(output));
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                return body.contains("\"result\"") ? Optional.of(body) : Optional.empty();
            } catch (IOException notYetListening) {
                return Optional.empty();
            }
        }, () -> read(output));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void nodeHeapIsSizedFromMaxCacheSizeAndMaxDisk() throws Exception {
        String line = startNode(Map.of()).heapLine();
        // max_disk 64 MB: 16 384 blocks x 128 B of index = 2 MiB.
        assertTrue(line.contains("(max_cache_size 64 MiB + 128 MiB node headroom + 2 MiB disk index;"), line);
        assertMaxHeap(64 + 128 + 2, line);
    }

    @Test
    void operatorsHeapSizeWins() throws Exception {
        String line = startNode(Map.of("JDK_JAVA_OPTIONS", "-Xmx100m")).heapLine();
        assertTrue(line.contains("not sized by bin/opencache"), line);
        assertMaxHeap(100, line);
        line = startNode(Map.of("OPENCACHE_JAVA_OPTS", "-Xss1m -XX:MaxHeapSize=80m")).heapLine();
        assertTrue(line.contains("not sized by bin/opencache"), line);
        assertMaxHeap(80, line);
    }

    @Test
    void mallocArenasAreLimitedUnlessTheOperatorSetsThem() throws Exception {
        assertEquals("2", startNode(Map.of()).environment().get("MALLOC_ARENA_MAX"));
        assertEquals("8", startNode(Map.of("MALLOC_ARENA_MAX", "8")).environment().get("MALLOC_ARENA_MAX"));
    }

    @Test
    void aJvmOutOfMemoryExitsUnlessTheOperatorSaysOtherwise() throws Exception {
        assertEquals("true", startNode(Map.of()).flag("ExitOnOutOfMemoryError"));
        assertEquals("false", startNode(Map.of("OPENCACHE_JAVA_OPTS", "-XX:-ExitOnOutOfMemoryError"))
                .flag("ExitOnOutOfMemoryError"));
        NodeStart crashes = startNode(Map.of("JDK_JAVA_OPTIONS", "-XX:+CrashOnOutOfMemoryError"));
        assertEquals("false", crashes.flag("ExitOnOutOfMemoryError"));
        assertEquals("true", crashes.flag("CrashOnOutOfMemoryError"));
    }

    /**
     * The heap the JVM reports is the -Xmx given, less a survivor space with some collectors
     * (which one the JVM picks depends on the machine), so it may be a little under.
     */
    private static void assertMaxHeap(long expectedMib, String line) {
        Matcher matcher = Pattern.compile("max heap (\\d+) MiB").matcher(line);
        assertTrue(matcher.find(), line);
        long mib = Long.parseLong(matcher.group(1));
        assertTrue(mib <= expectedMib && mib >= expectedMib * 9 / 10, "expected about " + expectedMib + " MiB: " + line);
    }

    /**
     * What a node started through bin/opencache shows: its "max heap" log line, the JVM's
     * environment, and its flags as {@code jcmd PID VM.flags -all} prints them.
     */
    private record NodeStart(String heapLine, Map<String, String> environment, String vmFlags) {
        /** The value the running JVM has for a HotSpot flag. */
        String flag(String name) {
            Matcher matcher = Pattern.compile("\\s" + name + "\\s+:?=\\s+(\\S+)").matcher(vmFlags);
            assertTrue(matcher.find(), () -> name + " not in\n" + vmFlags);
            return matcher.group(1);
        }
    }

    /**
     * Issue 17 item 7: a {@code log_path} ending in '/' is a directory, created, holding the
     * role's file; it used to become a file named {@code logs} that a controller on the same host
     * then shared.
     */
    @Test
    void logPathEndingInSlashIsADirectoryHoldingTheRolesFile() throws Exception {
        Path logs = dir.resolve("logs");
        startNode(Map.of(), Map.of("log_path", logs + "/"));
        assertTrue(Files.isDirectory(logs), "log_path directory created");
        String log = Files.readString(logs.resolve("node.log"));
        assertTrue(log.contains("max heap"), log);
    }

    private NodeStart startNode(Map<String, String> env) throws Exception {
        return startNode(env, Map.of());
    }

    /**
     * Starts a node with max_cache_size = 64MB (and {@code keys}) through bin/opencache, and stops
     * it once it has logged its heap.
     */
    private NodeStart startNode(Map<String, String> env, Map<String, String> keys) throws Exception {
        int[] ports = Ports.free(3);
        int nodePort = ports[0];
        int firstInstancePort = ports[1];
        // No controller at notification_port: the node keeps retrying, and serves.
        TestConfigs.NodeBuilder builder = TestConfigs.node(dir.resolve("cache-" + nodePort), ports[2])
                .set("node_port", nodePort)
                .set("port_range", firstInstancePort + "," + firstInstancePort)
                .set("max_cache_size", "64MB")
                .set("max_disk", "64MB")
                .set("alert_disk", "60MB")
                .set("verbosity", 3);
        keys.forEach(builder::set);
        Path config = builder.write(dir.resolve("node-" + nodePort + ".conf"));
        Path output = dir.resolve("node-" + nodePort + ".log");
        Process process = launch(output, env, "--node", "--config", config.toString());
        try {
            String line = Await.value("a \"max heap\" line", Duration.ofSeconds(90), () -> {
                Optional<String> heap = read(output).lines().filter(l -> l.contains("max heap")).findFirst();
                assertTrue(heap.isPresent() || process.isAlive(), () -> "node exited early:\n" + read(output));
                return heap;
            }, () -> read(output));
            return new NodeStart(line, environment(process), vmFlags(process));
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "node did not stop on SIGTERM");
        }
    }

    /** The environment a process started with (Linux): bin/opencache execs the JVM, so this is the JVM's. */
    private static Map<String, String> environment(Process process) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ")).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    /** All the flags of a running JVM, from the jcmd of the JDK running this test. */
    private static String vmFlags(Process process) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "VM.flags", "-all")
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "jcmd did not finish");
        assertEquals(0, run.exitValue(), output);
        return output;
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

    /**
     * Issue 17 item 15: a second controller on a data_path another one holds used to run with an
     * in-memory database ("data will not survive a restart") and exit 0 at the end.
     */
    @Test
    void dataPathHeldByAnotherControllerExitsWithStatus2() throws Exception {
        Path db = dir.resolve("db");
        EmbeddedMongo holder = EmbeddedMongo.start(db);
        try {
            int[] ports = Ports.free(2);
            Result result = run("--controller", "--config", controllerConfig(ports[0], ports[1], db).toString());
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("data_path = " + db + ": opencache.mv is locked by another process"),
                    result.output());
        } finally {
            holder.close();
        }
    }

    /**
     * Issue 17 item 15: every listening key says which it is and "address in use" (Jetty said
     * only "Failed to bind to /127.0.0.1:PORT" for two of them), and the exit status is 2.
     */
    @ParameterizedTest
    @ValueSource(strings = {"controller_port", "notification_port", "node_port"})
    void aPortInUseExitsWithStatus2NamingItsKey(String key) throws Exception {
        int[] ports = Ports.free(3);
        try (ServerSocket taken = new ServerSocket(ports[2], 1, InetAddress.getLoopbackAddress())) {
            Path config;
            String role;
            if (key.equals("node_port")) {
                role = "--node";
                config = TestConfigs.node(dir.resolve("cache"), ports[1]).set("node_port", taken.getLocalPort())
                        .set("port_range", ports[0] + "," + ports[0]).write(dir.resolve("node.conf"));
            } else {
                role = "--controller";
                boolean api = key.equals("controller_port");
                config = controllerConfig(api ? taken.getLocalPort() : ports[0], api ? ports[1] : taken.getLocalPort(),
                        dir.resolve("db"));
            }
            Result result = run(role, "--config", config.toString());
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains(key + " = " + taken.getLocalPort() + ": address in use"),
                    result.output());
        }
    }

    private Path controllerConfig(int apiPort, int linkPort, Path dataPath) throws IOException {
        return Files.writeString(dir.resolve("controller-" + apiPort + ".conf"), String.join("\n", "[config]",
                "controller_host = 127.0.0.1",
                "controller_port = " + apiPort,
                "notification_port = " + linkPort,
                "data_path = " + dataPath, ""));
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
