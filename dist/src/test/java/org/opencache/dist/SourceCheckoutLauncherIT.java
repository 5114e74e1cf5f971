package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 6: in a source checkout {@code bin/opencache} builds on first use, and when the
 * sources are newer than the jar, saying so on one line. The checkout here is a copy of the
 * launcher beside a {@code pom.xml}, and Maven a stand-in that makes the jar (copied from this
 * module's build) after writing what Maven 3.8 writes even with {@code -q}: colour resets on
 * lines of their own.
 */
class SourceCheckoutLauncherIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void buildsOnFirstUseAndWhenSourcesChangeSayingSoOnOneLine() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Path source = Files.createDirectories(checkout.resolve("dist/src/main/java")).resolve("Main.java");
        Files.writeString(source, "class Main {}\n");
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(Path.of("..", "bin", "opencache"), checkout.resolve("bin/opencache"));
        Path builds = dir.resolve("builds");
        Path fakeMaven = Files.createDirectories(dir.resolve("maven")).resolve("mvn");
        Files.writeString(fakeMaven, String.join("\n", "#!/usr/bin/env bash",
                "set -e",
                "echo \"$PWD $*\" >> '" + builds + "'",
                "printf '\\033[0m\\033[0m\\n\\033[0m\\n'",
                "mkdir -p dist/target",
                "cp -r '" + TARGET.resolve("lib") + "' dist/target/",
                "cp '" + TARGET.resolve("opencache.jar") + "' dist/target/opencache.jar", ""));
        Files.setPosixFilePermissions(fakeMaven, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> first = versionOutput(checkout, fakeMaven.getParent());
        assertEquals(2, first.size(), "one line about the build, then the version: " + first);
        assertTrue(first.get(0).startsWith("opencache: building dist/target/opencache.jar with Maven and ")
                && first.get(0).endsWith("(first run, or sources changed) ..."), first.get(0));
        assertTrue(first.get(1).startsWith("opencache "), first.get(1));
        assertEquals(List.of(checkout + " -B -q -Dstyle.color=never -DskipTests package"), Files.readAllLines(builds));

        List<String> second = versionOutput(checkout, fakeMaven.getParent());
        assertEquals(1, second.size(), "no build when the jar is newer than the sources: " + second);
        assertEquals(1, Files.readAllLines(builds).size());

        Files.setLastModifiedTime(checkout.resolve("dist/target/opencache.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        List<String> third = versionOutput(checkout, fakeMaven.getParent());
        assertEquals(2, third.size(), "a source newer than the jar builds again: " + third);
        assertEquals(2, Files.readAllLines(builds).size());
    }

    /** What {@code bin/opencache --version} prints (standard output and error), with {@code maven} first on the PATH. */
    private List<String> versionOutput(Path checkout, Path maven) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("bin/opencache").toString(), "--version")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        builder.environment().put("PATH", maven + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }
}
