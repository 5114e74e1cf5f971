package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure docs/design.md §9 names, checked over the main sources of every module: which
 * packages may use which libraries, which modules may use which, the layers of the node's
 * {@code http} packages, and no package cycle anywhere. A reference is an import or a
 * fully qualified name in code (comments and strings are not read).
 */
class ArchitectureTest {
    private static final List<String> MODULES = List.of("common", "test-support", "controller", "node", "dist");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile(
            "\\b((?:org|com|io|de|picocli|zmq)(?:\\.[a-z]\\w*)*)\\.[A-Z*]");

    /** package → the packages (ours and libraries') its files refer to, per module. */
    private static final Map<String, Map<String, Set<String>>> USES = new TreeMap<>();

    @BeforeAll
    static void readSources() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(sources), "expected " + sources + "; run from dist/");
            Map<String, Set<String>> uses = new TreeMap<>();
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> read(file, uses));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            USES.put(module, uses);
        }
    }

    private static void read(Path file, Map<String, Set<String>> uses) {
        String code;
        try {
            code = withoutCommentsAndStrings(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pkg = PACKAGE.matcher(code);
        assertTrue(pkg.find(), file + " has no package");
        Set<String> used = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(code.substring(pkg.end()));
        while (reference.find()) {
            used.add(reference.group(1));
        }
        used.remove(pkg.group(1));
    }

    private static String withoutCommentsAndStrings(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
    }

    @Test
    void sourcesWereFound() {
        MODULES.forEach(module -> assertTrue(!USES.get(module).isEmpty(), module + " has no sources"));
        assertTrue(USES.get("node").containsKey("org.opencache.node.http.serve"), "the scan reads the node's packages");
    }

    @Test
    void openflowjAndNettyOnlyInTheSwitchSession() {
        assertConfined(library("org.projectfloodlight", "io.netty"), "org.opencache.node.openflow");
    }

    @Test
    void theMongoDbDriverAndEmbeddedServerOnlyInTheControllersState() {
        assertConfined(library("com.mongodb", "org.bson", "de.bwaldvogel", "org.h2"), "org.opencache.controller.state");
    }

    @Test
    void zeroMqOnlyInTheLinkPackages() {
        assertConfined(library("org.zeromq", "zmq"), "org.opencache.controller.nodes", "org.opencache.node.link");
    }

    @Test
    void eachOtherLibraryInItsOnePlace() {
        assertConfined(library("com.googlecode.jsonrpc4j"), "org.opencache.controller.api");
        assertConfined(library("picocli"), "org.opencache.dist");
        assertConfined(library("org.apache.commons.configuration2"), "org.opencache.common.config");
        assertConfined(library("com.github.benmanes.caffeine"), "org.opencache.node.store");
        // Metrics: the node's meters (stats) and their exposition (status), the controller's API meters.
        assertConfined(library("io.micrometer"), "org.opencache.node.stats", "org.opencache.node.status",
                "org.opencache.controller.api");
        // Test certificates only: the shipped code reads PEM with the JDK (common.tls).
        assertConfined(library("org.bouncycastle"), "org.opencache.testing");
    }

    @Test
    void jettyNeverInCommonAndInTheControllerOnlyForItsApi() {
        assertEquals(Map.of(), offenders("common", library("org.eclipse.jetty")));
        assertEquals(Map.of(), offenders("controller", library("org.eclipse.jetty"),
                "org.opencache.controller.api"));
    }

    @Test
    void modulesDependDownwardsOnly() {
        Predicate<String> above = ours("org.opencache.controller", "org.opencache.node", "org.opencache.dist");
        assertEquals(Map.of(), offenders("common", above));
        assertEquals(Map.of(), offenders("controller", ours("org.opencache.node", "org.opencache.dist")));
        assertEquals(Map.of(), offenders("node", ours("org.opencache.controller", "org.opencache.dist")));
        // Every module's tests use it, so it may use only what is below them all.
        assertEquals(Map.of(), offenders("test-support", above));
    }

    @Test
    void theNodesHttpPackagesAreLayered() {
        List<String> layers = List.of("rules", "origin", "fill", "serve");
        for (int i = 0; i < layers.size(); i++) {
            String layer = "org.opencache.node.http." + layers.get(i);
            List<String> higher = layers.subList(i + 1, layers.size()).stream()
                    .map(name -> "org.opencache.node.http." + name).toList();
            Set<String> uses = USES.get("node").getOrDefault(layer, Set.of());
            assertEquals(List.of(), uses.stream().filter(higher::contains).toList(), layer + " uses a layer above it");
            assertEquals(List.of(), uses.stream().filter(ours("org.opencache.node.instance", "org.opencache.node.link",
                    "org.opencache.node.openflow", "org.opencache.node.status")).toList(),
                    layer + " reaches out of the cache");
        }
    }

    @Test
    void noPackageCycleInAnyModule() {
        for (String module : MODULES) {
            Map<String, Set<String>> uses = USES.get(module);
            for (String start : uses.keySet()) {
                List<String> cycle = cycleThrough(start, uses);
                assertEquals(List.of(), cycle, module + ": package cycle " + String.join(" -> ", cycle));
            }
        }
    }

    /** A path of our packages from {@code start} back to itself, or empty. */
    private static List<String> cycleThrough(String start, Map<String, Set<String>> uses) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String pkg = queue.poll();
            for (String next : uses.getOrDefault(pkg, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = pkg; !at.equals(start); at = cameFrom.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (uses.containsKey(next) && cameFrom.putIfAbsent(next, pkg) == null) {
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    private static void assertConfined(Predicate<String> library, String... allowed) {
        for (String module : MODULES) {
            assertEquals(Map.of(), offenders(module, library, allowed), module + " uses the library outside "
                    + String.join(", ", allowed));
        }
    }

    /** Packages of {@code module} outside {@code allowed} that use what {@code forbidden} matches, with what they use. */
    private static Map<String, Set<String>> offenders(String module, Predicate<String> forbidden, String... allowed) {
        Map<String, Set<String>> found = new TreeMap<>();
        USES.get(module).forEach((pkg, used) -> {
            if (!Set.of(allowed).contains(pkg)) {
                used.stream().filter(forbidden).forEach(use -> found.computeIfAbsent(pkg, p -> new TreeSet<>()).add(use));
            }
        });
        return found;
    }

    private static Predicate<String> library(String... prefixes) {
        return used -> Stream.of(prefixes).anyMatch(prefix -> used.equals(prefix) || used.startsWith(prefix + "."));
    }

    private static Predicate<String> ours(String... prefixes) {
        return library(prefixes);
    }
}
