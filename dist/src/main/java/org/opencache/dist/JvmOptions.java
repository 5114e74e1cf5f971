package org.opencache.dist;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the JVM options {@code bin/opencache} puts before {@code -jar}, one per line, for the
 * same arguments as {@code opencache} itself: {@code -Xmx} from the roles and
 * {@code max_cache_size} ({@link HeapSize}), and {@value #SIZED_PROPERTY} so the process can say
 * where its heap size came from.
 *
 * <p>It prints nothing, and exits 0, when the arguments or the config file cannot be read: the
 * real start then reports the problem (exit status 2), so there is one error path, not two.
 * The config is read with {@link ConfigReader}, the same reader {@link OpenCacheMain} uses.
 */
public final class JvmOptions {
    /** System property set on the sized JVM; {@link OpenCacheMain} logs the sizing when it is present. */
    static final String SIZED_PROPERTY = "opencache.heap.sized";

    private JvmOptions() {
    }

    /** The roles and config file, parsed like {@link OpenCacheMain}'s; other arguments are ignored. */
    @Command(name = "opencache-jvm-options")
    private static final class Arguments {
        @Option(names = "--controller")
        boolean controller;

        @Option(names = "--node")
        boolean node;

        @Option(names = "--config")
        Path config;
    }

    /** Prints the options to standard output; always exits 0. */
    public static void main(String[] args) {
        // ConfigReader logs unused and unknown keys; the real start logs them again. Here they
        // would land in the options the launcher reads from standard output.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.OFF);
        options(args).forEach(System.out::println);
    }

    /** The options for these launcher arguments; empty when they or the config cannot be read. */
    static List<String> options(String... args) {
        Arguments parsed = new Arguments();
        CommandLine commandLine = new CommandLine(parsed).setUnmatchedArgumentsAllowed(true);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return List.of();
        }
        if (parsed.config == null || !parsed.controller && !parsed.node) {
            return List.of();
        }
        HeapSize size;
        try {
            if (parsed.controller) {
                ConfigReader.controller(parsed.config); // validated only: the controller's heap is fixed
            }
            long maxCacheSize = parsed.node ? ConfigReader.node(parsed.config).maxCacheSize() : 0;
            size = new HeapSize(parsed.controller, parsed.node, maxCacheSize);
        } catch (ConfigException e) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        size.maxHeapMib().ifPresent(mib -> {
            options.add("-Xmx" + mib + "m");
            options.add("-D" + SIZED_PROPERTY + "=true");
        });
        return options;
    }
}
