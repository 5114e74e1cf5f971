package org.opencache.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opencache reopen-logs [--config FILE]}: sends {@code SIGHUP} to the running OpenCache
 * processes, which reopen their process log ({@code log_path}) and access log ({@code access_log})
 * by name, for logrotate's {@code postrotate}.
 *
 * <p>OpenCache writes no pid file, so the processes are found by their command line (what
 * {@code ps} shows, read through {@link ProcessHandle}): a {@code java} running
 * {@code org.opencache.dist.OpenCacheMain} or an {@code opencache*.jar} with {@code --controller}
 * or {@code --node}. {@code --config FILE} narrows this to the process started with that file
 * (compared as real paths, a relative one against that process's working directory). Exit
 * status 0 when at least one process was signalled, 1 when none was found or a signal failed.
 * The caller needs the right to signal the process (its user, or root).
 */
@Command(name = "reopen-logs", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Sends SIGHUP to the running OpenCache processes (found by their command line: java running "
                + "OpenCacheMain or opencache*.jar with --controller or --node), which reopen log_path and "
                + "access_log by name: logrotate's postrotate step."})
final class ReopenLogs implements Callable<Integer> {
    private static final String MAIN_CLASS = "org.opencache.dist.OpenCacheMain";
    private static final Pattern JAR = Pattern.compile("opencache[^/]*\\.jar");

    @Option(names = "--config", paramLabel = "FILE",
            description = "Only the process started with this config file.")
    private Path config;

    @Override
    public Integer call() {
        Optional<Path> wanted = Optional.ofNullable(config).map(ReopenLogs::real);
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().arguments().map(List::of)
                        .filter(args -> isOpenCache(args) && wanted.map(file -> startedWith(process, args, file))
                                .orElse(true))
                        .isPresent())
                .toList();
        if (found.isEmpty()) {
            System.err.println("opencache reopen-logs: no running OpenCache process found"
                    + (config == null ? "" : " with --config " + config)
                    + " (looked for java running " + MAIN_CLASS + " or opencache*.jar with --controller or --node)");
            return 1;
        }
        int status = 0;
        for (ProcessHandle process : found) {
            String command = String.join(" ", process.info().arguments().orElse(new String[0]));
            if (hangUp(process.pid())) {
                System.out.println("sent SIGHUP to " + process.pid() + " (" + command + ")");
            } else {
                System.err.println("opencache reopen-logs: could not signal " + process.pid() + " (" + command + ")");
                status = 1;
            }
        }
        return status;
    }

    /** Whether a command line's arguments are an OpenCache role's. */
    static boolean isOpenCache(List<String> args) {
        boolean ours = args.contains(MAIN_CLASS);
        for (int i = 0; i + 1 < args.size() && !ours; i++) {
            ours = args.get(i).equals("-jar") && JAR.matcher(Path.of(args.get(i + 1)).getFileName().toString()).matches();
        }
        return ours && (args.contains("--node") || args.contains("--controller"));
    }

    /** Whether the process's {@code --config} is {@code wanted}. */
    private static boolean startedWith(ProcessHandle process, List<String> args, Path wanted) {
        return configArgument(args).map(given -> {
            Path file = Path.of(given);
            if (!file.isAbsolute()) {
                try {
                    file = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).resolve(file);
                } catch (IOException | UnsupportedOperationException | SecurityException unknownCwd) {
                    file = file.toAbsolutePath();
                }
            }
            return real(file).equals(wanted);
        }).orElse(false);
    }

    /** The value of {@code --config FILE} or {@code --config=FILE}. */
    static Optional<String> configArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (args.get(i).startsWith("--config=")) {
                return Optional.of(args.get(i).substring("--config=".length()));
            }
        }
        return Optional.empty();
    }

    private static Path real(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException missing) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** {@code kill -HUP PID}: the JDK can send only SIGTERM and SIGKILL. */
    private static boolean hangUp(long pid) {
        List<String> command = new ArrayList<>(List.of("kill", "-HUP", Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            System.err.println("opencache reopen-logs: cannot run kill: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
