package org.opencache.dist;

import ch.qos.logback.classic.Level;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.NodeConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the JVM options {@code bin/opencache} puts before {@code -jar}, one per line, for the
 * same arguments as {@code opencache} itself:
 * <ul>
 *   <li>{@code -Xmx} and {@code -Xms} from the roles, {@code max_cache_size} and {@code max_disk} ({@link HeapSize}),
 *       and {@value #SIZED_PROPERTY} so the process can say where its heap size came from;</li>
 *   <li>{@value #EXIT_ON_OUT_OF_MEMORY}: a JVM that has run out of heap exits (status 3) rather than
 *       linger with threads dead and nothing answered, so that a supervisor restarts it;</li>
 *   <li>the {@link Tuning}s this JVM accepts, which keep the resident set within
 *       {@code max_cache_size + 300 MiB} (bench/HISTORY.md, third session).</li>
 * </ul>
 * An option the operator set ({@link OperatorJvmOptions}, handed over in the system property
 * {@value OperatorJvmOptions#PROPERTY}) is never printed, nor the exit on out-of-memory when the
 * operator's options say anything about out-of-memory handling.
 *
 * <p>It prints nothing, and exits 0, when the arguments or the config file cannot be read: the
 * real start then reports the problem (exit status 2), so there is one error path, not two.
 * The config is read with {@link ConfigReader}, the same reader {@link OpenCacheMain} uses.
 */
public final class JvmOptions {
    /** System property set on the sized JVM; {@link OpenCacheMain} logs the sizing when it is present. */
    static final String SIZED_PROPERTY = "opencache.heap.sized";

    /**
     * Exit on the first {@link OutOfMemoryError} (a product flag since JDK 8u92, so every JDK this
     * runs on has it): a node out of heap otherwise stays up with its origin threads, database
     * writer and controller link dead, answering nothing (issue #20).
     */
    static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /**
     * A HotSpot option printed when the JVM has it as a product option.
     *
     * @param flag         the flag's name
     * @param option       the option printed
     * @param sinceFeature the first Java feature release where it is a product option
     */
    record Tuning(String flag, String option, int sinceFeature) {
    }

    /** The tunings, each measured with the benchmark (bench/HISTORY.md, third session). */
    static final List<Tuning> TUNINGS = List.of(
            // glibc keeps the native memory the JIT compilers and NIO free in its arenas: 30-40 MiB
            // of the resident set under load, returned by trimming every few seconds.
            new Tuning("TrimNativeHeapInterval", "-XX:TrimNativeHeapInterval=5000", 17),
            // 8-byte object headers (JEP 519): less heap per cached object and fewer bytes
            // allocated per request, so fewer young collections.
            new Tuning("UseCompactObjectHeaders", "-XX:+UseCompactObjectHeaders", 25));

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
        OperatorJvmOptions operator = OperatorJvmOptions.parse(System.getProperty(OperatorJvmOptions.PROPERTY));
        options(operator, JvmOptions::accepts, args).forEach(System.out::println);
    }

    /**
     * The options for these launcher arguments; empty when they or the config cannot be read.
     *
     * @param operator what the operator set already
     * @param accepts  whether the JVM that will run accepts a {@link Tuning}
     */
    static List<String> options(OperatorJvmOptions operator, Predicate<Tuning> accepts, String... args) {
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
            NodeConfig nodeConfig = parsed.node ? ConfigReader.node(parsed.config) : null;
            size = new HeapSize(parsed.controller, parsed.node, nodeConfig == null ? 0 : nodeConfig.maxCacheSize(),
                    nodeConfig == null ? 0 : nodeConfig.maxDisk());
        } catch (ConfigException e) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        if (!operator.setsMaxHeap()) {
            size.maxHeapMib().ifPresent(mib -> {
                options.add("-Xmx" + mib + "m");
                if (!operator.setsInitialHeap()) {
                    options.add("-Xms" + size.initialHeapMib().getAsLong() + "m");
                }
                options.add("-D" + SIZED_PROPERTY + "=true");
            });
        }
        if (!operator.handlesOutOfMemory()) {
            options.add(EXIT_ON_OUT_OF_MEMORY);
        }
        for (Tuning tuning : TUNINGS) {
            if (!operator.sets(tuning.flag()) && accepts.test(tuning)) {
                options.add(tuning.option());
            }
        }
        return options;
    }

    /** Whether this JVM (the one bin/opencache starts) has the tuning's flag as a product option. */
    private static boolean accepts(Tuning tuning) {
        if (Runtime.version().feature() < tuning.sinceFeature()) {
            return false;
        }
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            return false;
        }
        try {
            hotSpot.getVMOption(tuning.flag());
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
