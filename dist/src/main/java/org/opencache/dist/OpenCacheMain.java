package org.opencache.dist;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code opencache} command: runs the controller, the node, or both in one process, from an
 * INI config file. Exit status: 0 after a clean shutdown, 2 for a usage or configuration error
 * (with one line naming the file, the key and the problem), 1 when start-up fails otherwise.
 */
@Command(name = "opencache", mixinStandardHelpOptions = true, versionProvider = OpenCacheMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Transparent HTTP caching for software-defined networks.%n"
                + "Runs the OpenCache controller (JSON-RPC API), a cache node, or both.",
        footer = {"", "Examples:",
            "  opencache --controller --config examples/config/controller.conf",
            "  opencache --node --config examples/config/node.conf",
            "  opencache --controller --node --config examples/config/standalone.conf"})
public final class OpenCacheMain implements Callable<Integer> {
    /** Exit status for a configuration error (docs/design.md §2). */
    static final int CONFIG_ERROR = 2;

    @Option(names = "--controller", description = "Run the controller.")
    private boolean controller;

    @Option(names = "--node", description = "Run a cache node.")
    private boolean node;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "INI configuration file with a [config] section.")
    private Path config;

    /** Entry point of the runnable jar. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new OpenCacheMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!controller && !node) {
            System.err.println("opencache: say which role to run: --controller, --node, or both (see --help)");
            return CONFIG_ERROR;
        }
        ControllerConfig controllerConfig = null;
        NodeConfig nodeConfig = null;
        try {
            if (controller) {
                controllerConfig = ConfigReader.controller(config);
            }
            if (node) {
                nodeConfig = ConfigReader.node(config);
            }
        } catch (ConfigException e) {
            System.err.println("opencache: " + e.getMessage());
            return CONFIG_ERROR;
        }
        LoggingSetup.apply(controller ? controllerConfig.logging() : nodeConfig.logging(), "opencache.log");
        Logger log = LoggerFactory.getLogger(OpenCacheMain.class);
        log.info("max heap {} MiB ({})", Runtime.getRuntime().maxMemory() >> 20,
                heapOrigin(new HeapSize(controller, node, node ? nodeConfig.maxCacheSize() : 0)));
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            if (controller) {
                running.push(Controller.start(controllerConfig));
            }
            if (node) {
                running.push(Node.start(nodeConfig));
            }
        } catch (Exception e) {
            log.error("start-up failed: {}", e.getMessage());
            closeAll(running, log);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            closeAll(running, log);
            log.info("stopped");
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** Where the maximum heap came from: {@code bin/opencache}'s sizing, or the JVM's own options. */
    static String heapOrigin(HeapSize size) {
        if (Boolean.getBoolean(JvmOptions.SIZED_PROPERTY)) {
            return size.explanation() + "; set -Xmx in OPENCACHE_JAVA_OPTS to change it";
        }
        if (size.maxHeapMib().isEmpty()) {
            return size.explanation();
        }
        return "the JVM's -Xmx or default, not sized by bin/opencache; it would give "
                + size.maxHeapMib().getAsLong() + " MiB = " + size.explanation();
    }

    /** Stops the roles in reverse order of start: the node says goodbye while the controller still listens. */
    private static void closeAll(Deque<AutoCloseable> running, Logger log) {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** Reads the version from the jar manifest ({@code dev} when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = OpenCacheMain.class.getPackage().getImplementationVersion();
            return new String[] {"opencache " + (version == null ? "dev" : version)
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
