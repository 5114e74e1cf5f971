package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.json.Json;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.TestOrigin;

/**
 * Issue 18 item 6: the release tarball that {@code mvn package} leaves in {@code dist/target}
 * runs without Maven and without the source tree. It is unpacked into a temporary directory,
 * both roles start from it (each in a process of its own, as the systemd units run them) with a
 * {@code PATH} that has no {@code mvn}, and README.md's walk-through runs against them with the
 * tarball's own {@code scripts/rpc} and curl.
 */
class ReleaseTarballIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    static Path dir;

    /** The unpacked {@code opencache-VERSION/}. */
    private static Path release;
    /** A directory of links to every command on this JVM's {@code PATH} except Maven's. */
    private static Path pathWithoutMaven;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().matches("opencache-.+\\.tar\\.gz"))
                    .toList();
            assertEquals(1, tarballs.size(), "one release tarball in target/ (mvn package makes it): " + tarballs);
            tarball = tarballs.get(0);
        }
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Testbed.run(60, "tar", "-xzf", tarball.toString(), "-C", unpacked.toString());
        String name = tarball.getFileName().toString().replace(".tar.gz", "");
        try (Stream<Path> top = Files.list(unpacked)) {
            assertEquals(List.of(unpacked.resolve(name)), top.toList(), "the tarball holds one directory, " + name);
        }
        release = unpacked.resolve(name);
        // Not under the @TempDir, whose clean-up warns about every link to outside it; readable by
        // the service user.
        pathWithoutMaven = commandsWithoutMaven(Files.createTempDirectory("opencache-path-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    }

    @AfterAll
    static void removeLinks() throws IOException {
        if (pathWithoutMaven != null) {
            try (Stream<Path> links = Files.list(pathWithoutMaven)) {
                for (Path link : links.toList()) {
                    Files.delete(link); // the link, never its target
                }
            }
            Files.delete(pathWithoutMaven);
        }
    }

    /**
     * Links to every command of the {@code PATH} but {@code mvn*}: curl, python3, tar, sed and the
     * like stay, so a launcher that tried to build would find no Maven and fail.
     */
    private static Path commandsWithoutMaven(Path links) throws IOException {
        for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path directory = Path.of(entry.isEmpty() ? "." : entry);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(directory)) {
                for (Path command : commands.toList()) {
                    Path link = links.resolve(command.getFileName().toString());
                    if (!command.getFileName().toString().startsWith("mvn") && Files.notExists(link)) {
                        Files.createSymbolicLink(link, command.toAbsolutePath());
                    }
                }
            }
        }
        return links;
    }

    @Test
    void theTarballHoldsLauncherLibrariesSampleConfigsAndUnits() throws Exception {
        assertTrue(Files.getPosixFilePermissions(release.resolve("bin/opencache")).contains(PosixFilePermission.OWNER_EXECUTE),
                "bin/opencache is executable");
        assertTrue(Files.isExecutable(release.resolve("scripts/rpc")), "scripts/rpc is executable");
        assertTrue(Files.isRegularFile(release.resolve("lib/opencache.jar")), "lib/opencache.jar");
        // lib/ is the jar and exactly the dependencies its manifest names (for dist/target/lib/).
        Set<String> expected = new TreeSet<>(Set.of("opencache.jar"));
        try (JarFile jar = new JarFile(TARGET.resolve("opencache.jar").toFile())) {
            for (String entry : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH).split(" ")) {
                expected.add(entry.substring("lib/".length()));
            }
        }
        try (Stream<Path> jars = Files.list(release.resolve("lib"))) {
            assertEquals(expected, jars.map(jar -> jar.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
        for (String sample : List.of("standalone.conf", "controller.conf", "node.conf")) {
            assertEquals(Files.readString(Path.of("..", "examples", "config", sample)),
                    Files.readString(release.resolve("config").resolve(sample)), "config/" + sample);
        }
        for (String file : List.of("INSTALL.md", "LICENSE", "systemd/opencache-controller.service",
                "systemd/opencache-node.service", "logrotate/opencache")) {
            assertTrue(Files.isRegularFile(release.resolve(file)), file);
        }
        assertFalse(Files.exists(release.resolve("pom.xml")), "no pom.xml: bin/opencache takes it for a release");
        String install = Files.readString(release.resolve("INSTALL.md"));
        assertTrue(install.contains("tar -xzf " + release.getFileName() + ".tar.gz") && !install.contains("${"),
                "INSTALL.md names this version:\n" + install);
    }

    @Test
    void unitsRunAsAnUnprivilegedUserWithOnlyTheCapabilitiesTheNodeNeeds() throws Exception {
        String controller = Files.readString(release.resolve("systemd/opencache-controller.service"));
        String node = Files.readString(release.resolve("systemd/opencache-node.service"));
        assertTrue(controller.contains("\nExecStart=/opt/opencache/bin/opencache --controller --config /etc/opencache/controller.conf\n"), controller);
        assertTrue(node.contains("\nExecStart=/opt/opencache/bin/opencache --node --config /etc/opencache/node.conf\n"), node);
        for (String unit : List.of(controller, node)) {
            for (String line : List.of("User=opencache", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
                    "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "LogsDirectory=opencache")) {
                assertTrue(unit.contains("\n" + line + "\n"), line + " in\n" + unit);
            }
        }
        assertTrue(controller.contains("\nCapabilityBoundingSet=\n") && !controller.contains("AmbientCapabilities"),
                "the controller has no capability");
        // '*' runs iptables on the node host (docs/design.md §7); OpenFlow is an outgoing connection.
        assertTrue(node.contains("\nAmbientCapabilities=CAP_NET_ADMIN\n")
                && node.contains("\nCapabilityBoundingSet=CAP_NET_ADMIN\n"), node);
    }

    /**
     * Without a Java 21 the release says which it needs (a runtime: it compiles nothing) and which
     * too old ones it found. /usr/lib/jvm is hidden behind one holding only a Java 17, in a mount
     * namespace of the launcher's own (root and unshare; skipped with the reason otherwise).
     */
    @Test
    void withoutJava21TheReleaseSaysWhichItNeeds() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/unshare")), "needs root and unshare to hide /usr/lib/jvm; skipped");
        Path java = Path.of("/usr/bin/java");
        Assumptions.assumeTrue(!Files.exists(java) || java.toRealPath().startsWith("/usr/lib/jvm"),
                "/usr/bin/java is outside /usr/lib/jvm, so hiding /usr/lib/jvm leaves it; skipped");
        Path jvms = dir.resolve("jvm");
        Path old = Files.createDirectories(jvms.resolve("old-jdk/bin")).resolve("java");
        Files.writeString(old, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "sh", "-c",
                "mount --bind \"$0\" /usr/lib/jvm && exec \"$1\" --version", jvms.toString(),
                release.resolve("bin/opencache").toString()).redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(1, process.exitValue(), output);
        assertEquals(List.of(
                "opencache: needs a Java runtime 21 or newer, and found only Java 17 at /usr/lib/jvm/old-jdk/bin/java",
                "opencache: looked at $JAVA_HOME, 'java' on the PATH and /usr/lib/jvm/*; install one (e.g. apt-get install "
                        + "openjdk-21-jre-headless) or set JAVA_HOME"), output.lines().toList());
    }

    /**
     * {@code systemd-analyze verify} on the units as shipped, with {@code /opt/opencache} read as
     * the directory the tarball was unpacked into: verify insists that {@code ExecStart}'s
     * program exists.
     */
    @Test
    void systemdAnalyzeVerifiesTheUnits() throws Exception {
        Assumptions.assumeTrue(
                new ProcessBuilder("sh", "-c", "command -v systemd-analyze").start().waitFor() == 0,
                "systemd-analyze is not installed here; skipped");
        Path units = Files.createDirectories(dir.resolve("units"));
        for (String name : List.of("opencache-controller.service", "opencache-node.service")) {
            String unit = Files.readString(release.resolve("systemd").resolve(name))
                    .replace("/opt/opencache/", release + "/");
            Path copy = Files.writeString(units.resolve(name), unit);
            String output = Testbed.run(60, "systemd-analyze", "verify", copy.toString());
            assertEquals("", output.strip(), "systemd-analyze verify " + name);
        }
    }

    @Test
    void bothRolesRunFromTheReleaseWithoutMavenAndServeTheReadmeWalkThrough() throws Exception {
        int[] ports = Ports.free(4);
        int api = ports[0];
        int link = ports[1];
        int nodePort = ports[2];
        int instancePort = ports[3];
        Path state = Files.createDirectories(dir.resolve("state"));
        if (ServiceUser.switchable()) {
            // The service user reads the release (as /opt/opencache: root's, world-readable) and
            // owns only its state, as the units' StateDirectory, CacheDirectory and LogsDirectory.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Testbed.run(10, "chown", ServiceUser.UID + ":" + ServiceUser.UID, state.toString());
        }
        Path logs = state.resolve("logs");
        // The INSTALL.md way: the samples of config/, with this test's ports and directories, and
        // the embedded database instead of a MongoDB at 27017.
        Path controllerConf = fromSample("controller.conf", state.resolve("controller.conf"), Map.of(
                "controller_port", "" + api,
                "notification_port", "" + link,
                "data_path", state.resolve("db").toString(),
                "log_path", logs + "/"));
        Path nodeConf = fromSample("node.conf", state.resolve("node.conf"), Map.of(
                "node_port", "" + nodePort,
                "notification_port", "" + link,
                "controller_port", "" + api,
                "port_range", instancePort + "," + instancePort,
                "cache_path", state.resolve("cache") + "/",
                "log_path", logs + "/",
                "max_cache_size", "64MB",
                "max_disk", "64MB",
                "alert_disk", "60MB"));

        try (TestOrigin origin = new TestOrigin()) {
            origin.route("/", TestOrigin.ok("index of the origin\n")); // no freshness: the horizon gives it
            Path controllerOut = state.resolve("controller.out");
            Process controller = start(controllerOut, ServiceUser.CONTROLLER, "--controller", "--config", controllerConf.toString());
            Process node = null;
            try {
                Path nodeOut = state.resolve("node.out");
                node = start(nodeOut, ServiceUser.NODE, "--node", "--config", nodeConf.toString());
                Map<String, String> rpcEnv = Map.of("OPENCACHE_URL", "http://127.0.0.1:" + api + "/");
                Process running = node;
                Await.until("the node up at the controller", Duration.ofSeconds(120), () -> {
                    assertTrue(controller.isAlive(), () -> "controller exited:\n" + read(controllerOut));
                    assertTrue(running.isAlive(), () -> "node exited:\n" + read(nodeOut));
                    Optional<JsonNode> nodes = rpc(rpcEnv, "nodes");
                    return nodes.isPresent() && nodes.get().path("result").path(0).path("status").asText().equals("up");
                }, () -> read(controllerOut) + read(nodeOut));

                // README.md's quick start, line by line.
                JsonNode started = rpc(rpcEnv, "start", "{\"expr\": \"127.0.0.1:" + origin.port() + "\", \"horizon\": 60}")
                        .orElseThrow();
                assertTrue(started.path("result").asBoolean(), started.toString());
                JsonNode nodes = rpc(rpcEnv, "nodes").orElseThrow();
                int port = nodes.path("result").path(0).path("instances").path(0).path("port").asInt();
                assertEquals(instancePort, port, nodes.toString());
                String miss = cacheStatus(port);
                assertTrue(miss.contains("fwd=miss") && miss.contains("stored"), miss);
                String hit = cacheStatus(port);
                assertTrue(hit.endsWith("hit"), hit);
                assertEquals(1, origin.requests("/"), "the second request was a hit");
                assertTrue(rpc(rpcEnv, "refresh").orElseThrow().path("result").asBoolean());
                JsonNode stat = rpc(rpcEnv, "stat").orElseThrow().path("result");
                assertEquals(1, stat.path("cache_hit").asLong(), stat.toString());
                assertEquals(1, stat.path("cache_miss").asLong(), stat.toString());

                // It ran the release's jars, never built, and found no source tree to build from.
                for (Process process : List.of(controller, node)) {
                    String command = Files.readString(Path.of("/proc", "" + process.pid(), "cmdline")).replace('\0', ' ');
                    assertTrue(command.contains(release.resolve("lib") + "/*") && !command.contains("dist/target"), command);
                }
                // As the units run them: unprivileged, the node with CAP_NET_ADMIN alone (for '*').
                if (ServiceUser.switchable()) {
                    assertEquals(ServiceUser.UID, statusField(controller, "Uid").split("\\s+")[0]);
                    assertEquals(ServiceUser.UID, statusField(node, "Uid").split("\\s+")[0]);
                    assertEquals(0L, Long.parseLong(statusField(controller, "CapEff"), 16), "controller's capabilities");
                    assertEquals(1L << 12, Long.parseLong(statusField(node, "CapEff"), 16), "node's: CAP_NET_ADMIN (12)");
                }
                assertTrue(Files.size(logs.resolve("controller.log")) > 0 && Files.size(logs.resolve("node.log")) > 0,
                        "log_path directory written");
            } finally {
                stop(node);
                stop(controller);
            }
            String output = read(controllerOut) + read(state.resolve("node.out"));
            assertFalse(output.contains("opencache: building") || output.contains("Maven"), output);
            assertEquals(143, controller.exitValue(), "controller exit status after SIGTERM\n" + output);
            assertEquals(143, node.exitValue(), "node exit status after SIGTERM\n" + output);
        }
    }

    /** The Cache-Status field of {@code curl -si http://127.0.0.1:PORT/}, as the README reads it. */
    private static String cacheStatus(int port) throws Exception {
        String response = run(Map.of(), "curl", "-si", "-m", "10", "http://127.0.0.1:" + port + "/");
        return response.lines().filter(line -> line.toLowerCase().startsWith("cache-status:"))
                .map(line -> line.substring("cache-status:".length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no Cache-Status in\n" + response));
    }

    /** {@code scripts/rpc METHOD [PARAMS]} from the release; empty while the controller does not answer. */
    private static Optional<JsonNode> rpc(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("scripts/rpc"));
        command.addAll(List.of(args));
        Process process = builder(command, env).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "scripts/rpc did not finish");
        return process.exitValue() == 0 ? Optional.of(Json.mapper().readTree(output)) : Optional.empty();
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        Process process = builder(List.of(command), env).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + ":\n" + output);
        return output;
    }

    /**
     * Starts {@code bin/opencache ARGS} of the release. As root (CI), it runs as {@code nobody}
     * through setpriv, with the capabilities its systemd unit gives it and no way to gain more;
     * otherwise as the user running the test, who is unprivileged already.
     */
    private static Process start(Path output, ServiceUser user, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (ServiceUser.switchable()) {
            command.addAll(List.of("setpriv", "--reuid=" + ServiceUser.UID, "--regid=" + ServiceUser.UID,
                    "--clear-groups", "--no-new-privs", "--inh-caps=-all" + user.capabilities,
                    "--ambient-caps=-all" + user.capabilities, "--bounding-set=-all" + user.capabilities));
        }
        command.add(release.resolve("bin/opencache").toString());
        command.addAll(List.of(args));
        return builder(command, Map.of()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The user and capabilities of each unit in systemd/. */
    private enum ServiceUser {
        CONTROLLER(""), NODE(",+net_admin");

        /** nobody: a user that owns nothing but the directories the test gives it. */
        static final String UID = "65534";

        private final String capabilities;

        ServiceUser(String capabilities) {
            this.capabilities = capabilities;
        }

        static boolean switchable() {
            return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
        }
    }

    /** A field of {@code /proc/PID/status}. */
    private static String statusField(Process process, String name) throws IOException {
        return Files.readAllLines(Path.of("/proc", "" + process.pid(), "status")).stream()
                .filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1).strip())
                .findFirst().orElseThrow();
    }

    /**
     * A command in the release directory, with the JDK running this test as {@code JAVA_HOME}
     * and a {@code PATH} without Maven; none of the machine's JVM options.
     */
    private static ProcessBuilder builder(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(args);
        if (command.get(0).contains("/")) {
            command.set(0, release.resolve(command.get(0)).toString()); // bin/opencache, scripts/rpc
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(release.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "OPENCACHE_JAVA_OPTS",
                "MAVEN_OPTS", "MAVEN_HOME", "M2_HOME"));
        environment.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        environment.put("PATH", pathWithoutMaven.toString());
        environment.putAll(env);
        return builder;
    }

    /**
     * A sample of the release's {@code config/} with {@code keys} set (replaced where the sample
     * has them, appended otherwise) and the sample's MongoDB address removed (INSTALL.md's edit).
     */
    private static Path fromSample(String sample, Path file, Map<String, String> keys) throws IOException {
        Map<String, String> left = new LinkedHashMap<>(keys);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(release.resolve("config").resolve(sample))) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
            if (Set.of("database_host", "database_port").contains(key)) {
                continue;
            }
            String value = left.remove(key);
            lines.add(value == null ? line : key + " = " + value);
        }
        left.forEach((key, value) -> lines.add(key + " = " + value));
        return Files.write(file, lines);
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM, as systemctl stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process " + process.pid() + " did not stop on SIGTERM");
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
