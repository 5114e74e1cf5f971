package org.opencache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.NodeConfig;

/**
 * {@code examples/logrotate/opencache} rotates the files the example configs log to, reopens them
 * with the real command, and is read by logrotate itself without an error (where logrotate is
 * installed; skipped with the reason otherwise).
 */
class LogrotateExampleTest {
    private static final Path EXAMPLE = Path.of("logrotate", "opencache");
    private static final Pattern BLOCK = Pattern.compile("(?m)^(\\S+) \\{$");

    @TempDir
    Path dir;

    private static String example() throws Exception {
        return Files.readString(EXAMPLE);
    }

    @Test
    void itRotatesTheFilesTheExampleConfigsLogTo() throws Exception {
        Matcher block = BLOCK.matcher(example());
        assertTrue(block.find(), "a block of log files");
        PathMatcher rotated = FileSystems.getDefault().getPathMatcher("glob:" + block.group(1));
        NodeConfig node = ConfigReader.node(Path.of("config", "node.conf"));
        Path processLog = node.logging().file("node.log").orElseThrow();
        assertTrue(rotated.matches(processLog), processLog + " (node.conf's log_path)");
        Matcher accessLog = Pattern.compile("(?m)^# access_log = (\\S+)$")
                .matcher(Files.readString(Path.of("config", "standalone.conf")));
        assertTrue(accessLog.find(), "standalone.conf shows an access_log");
        assertTrue(rotated.matches(Path.of(accessLog.group(1))), accessLog.group(1) + " (standalone.conf's access_log)");
    }

    @Test
    void postrotateRunsTheRealReopenCommand() throws Exception {
        Matcher command = Pattern.compile("(?m)^\\s+(\\S+/bin/opencache) (\\S+) ").matcher(example());
        assertTrue(command.find(), example());
        assertTrue(Files.exists(Path.of("..", "bin", "opencache")), "bin/opencache is the launcher");
        String subcommand = Files.readString(Path.of("..", "dist", "src", "main", "java", "org", "opencache", "dist",
                "ReopenLogs.java"));
        assertTrue(subcommand.contains("@Command(name = \"" + command.group(2) + "\""),
                "opencache has a subcommand " + command.group(2));
        assertTrue(example().contains("delaycompress"), "the renamed file is written to until the reopen");
    }

    @Test
    void logrotateReadsItWithoutAnError() throws Exception {
        Path logrotate = Stream.of("/usr/sbin/logrotate", "/sbin/logrotate", "/usr/bin/logrotate")
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(logrotate != null, "logrotate is not installed");
        // The example's paths moved into a temporary directory, so the dry run looks at real files.
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("node.log"), "a line\n");
        Path config = Files.writeString(dir.resolve("opencache"),
                example().replace("/var/log/opencache/", logs + "/"));
        Process dryRun = new ProcessBuilder(logrotate.toString(), "--debug", "--force",
                "--state", dir.resolve("state").toString(), config.toString()).redirectErrorStream(true).start();
        String said = new String(dryRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dryRun.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, dryRun.exitValue(), said);
        List<String> errors = said.lines().filter(line -> line.startsWith("error")).toList();
        assertEquals(List.of(), errors, said);
        assertTrue(said.contains("running postrotate script"), said);
    }
}
