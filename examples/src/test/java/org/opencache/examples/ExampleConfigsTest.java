package org.opencache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.PortRange;

/** The example files in {@code examples/config/} load, and say what the docs say they say. */
class ExampleConfigsTest {

    /** Surefire runs in the module directory, {@code examples/}. */
    private static final Path CONFIG = Path.of("config");

    /**
     * Every key a role reads (ConfigKey); standalone.conf documents each one, set or commented
     * out. The original OpenCache's unused keys are not in it: they do nothing.
     */
    private static final Set<String> ALL_KEYS = Arrays.stream(ConfigKey.values())
            .filter(key -> !key.legacy())
            .map(ConfigKey::key)
            .collect(Collectors.toUnmodifiableSet());

    private static final Pattern KEY_LINE = Pattern.compile("^#?\\s*([a-z_]+)\\s*=", Pattern.MULTILINE);

    /** A key line, set or commented out ({@code # key = value}), with its value. */
    private static final Pattern KEY_VALUE_LINE = Pattern.compile("(#?)\\s*([a-z_]+)\\s*=\\s*(.*?)\\s*");

    @BeforeAll
    static void runsInTheModuleDirectory() {
        assertTrue(Files.isDirectory(CONFIG), "expected " + CONFIG.toAbsolutePath() + "; run from examples/");
    }

    @Test
    void originalControllerConfLoads() throws Exception {
        ControllerConfig config = ConfigReader.controller(CONFIG.resolve("controller.conf"));
        assertEquals("127.0.0.1", config.controllerHost());
        assertEquals(49001, config.controllerPort());
        assertEquals(50001, config.notificationPort());
        assertEquals(Optional.of("mongodb://127.0.0.1:27017"), config.databaseUri());
        assertEquals(Duration.ofSeconds(30), config.nodeTimeout());
        assertEquals(Optional.of(Path.of("/var/log/opencache/")), config.logging().logPath());
        assertEquals(3, config.logging().verbosity());
    }

    @Test
    void originalNodeConfLoads() throws Exception {
        NodeConfig config = ConfigReader.node(CONFIG.resolve("node.conf"));
        assertEquals("127.0.0.1", config.nodeHost());
        assertEquals(49002, config.nodePort());
        assertEquals(new PortRange(49003, 50000), config.portRange());
        assertEquals("127.0.0.1", config.controllerHost());
        assertEquals(50001, config.notificationPort());
        assertEquals(Path.of("/var/tmp/opencache/"), config.cachePath());
        assertEquals(Duration.ofSeconds(15), config.keepAliveInterval());
        assertEquals(Duration.ofSeconds(60), config.statRefresh());
        assertEquals(500, config.alertLoad());
        assertEquals(9_663_676_416L, config.alertDisk());
        assertEquals(10_737_418_240L, config.maxDisk());
        assertEquals(Optional.of(Path.of("/var/log/opencache/")), config.logging().logPath());
    }

    @Test
    void standaloneConfIsTheControllerDefaultsWithAnEmbeddedDatabase() throws Exception {
        ControllerConfig config = ConfigReader.controller(CONFIG.resolve("standalone.conf"));
        assertEquals(Optional.empty(), config.databaseUri());
        assertEquals(Optional.empty(), config.logging().logPath());
        assertEquals(ConfigReader.controller(Map.of("data_path", "/var/tmp/opencache/db"), "defaults"), config);
    }

    @Test
    void standaloneConfIsTheNodeDefaultsWithItsOwnCachePath() throws Exception {
        NodeConfig config = ConfigReader.node(CONFIG.resolve("standalone.conf"));
        assertEquals(Path.of("/var/tmp/opencache/cache/"), config.cachePath());
        assertEquals(Optional.empty(), config.openflowSwitch());
        assertEquals(ConfigReader.node(Map.of("cache_path", "/var/tmp/opencache/cache/"), "defaults"), config);
    }

    @Test
    void standaloneConfDocumentsEveryKey() throws IOException {
        Matcher m = KEY_LINE.matcher(Files.readString(CONFIG.resolve("standalone.conf")));
        Set<String> documented = new TreeSet<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(new TreeSet<>(ALL_KEYS), documented);
    }

    /**
     * Each key line of standalone.conf holds the table's default. A set key may hold another
     * value when the comment above it names the default as {@code (default VALUE)}; a key may be
     * commented out when it has no default (the line shows an example) or shows the default.
     */
    @Test
    void standaloneConfHoldsTheTableDefaults() throws IOException {
        List<String> problems = new ArrayList<>();
        StringBuilder comment = new StringBuilder();
        for (String line : Files.readAllLines(CONFIG.resolve("standalone.conf"))) {
            Matcher m = KEY_VALUE_LINE.matcher(line);
            if (!m.matches()) {
                // Only the comment lines right above a key describe it.
                if (line.startsWith("#")) {
                    comment.append(line).append('\n');
                } else {
                    comment.setLength(0);
                }
                continue;
            }
            boolean commentedOut = !m.group(1).isEmpty();
            String name = m.group(2);
            String value = m.group(3);
            Optional<ConfigKey> key = ConfigKey.of(name);
            if (key.isEmpty()) {
                problems.add(name + ": unknown key");
            } else {
                String defaultValue = key.get().defaultValue();
                boolean ok = value.equals(defaultValue) || (commentedOut
                        ? defaultValue.isEmpty()
                        : comment.indexOf("(default " + defaultValue + ")") >= 0);
                if (!ok) {
                    problems.add(line + "  (ConfigKey default: '" + defaultValue + "')");
                }
            }
            comment.setLength(0);
        }
        assertEquals(List.of(), problems, "standalone.conf against ConfigKey: hold the default, or comment it out"
                + " when there is none, or say '(default VALUE)' in the comment above");
    }
}
