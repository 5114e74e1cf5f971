package org.opencache.dist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opencache.common.config.ConfigException;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.keys.LinkKeys;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code opencache} command: runs the controller, the node, or both in one process, from an
 * INI config file. Exit status: 0 after a clean shutdown, 2 for a usage or configuration error
 * (with one line naming the file, the key and the problem) or a value unusable at start-up (a
 * port in use, a locked {@code data_path}: one line naming the key and its value), 1 when
 * start-up fails otherwise.
 */
@Command(name = "opencache", mixinStandardHelpOptions = true, versionProvider = OpenCacheMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true, subcommands = {OpenCacheMain.Keygen.class, ReopenLogs.class},
        description = "Transparent HTTP caching for software-defined networks.%n"
                + "Runs the OpenCache controller (JSON-RPC API), a cache node, or both.",
        footer = {"", "Examples:",
            "  opencache --controller --config examples/config/controller.conf",
            "  opencache --node --config examples/config/node.conf",
            "  opencache --controller --node --config examples/config/standalone.conf",
            "  opencache keygen /etc/opencache/keys    (a key pair for the CURVE-secured node link)",
            "  opencache reopen-logs                   (after logrotate renamed the logs; same as SIGHUP)"})
public final class OpenCacheMain implements Callable<Integer> {
    /** Exit status for a configuration error (docs/design.md §2). */
    static final int CONFIG_ERROR = 2;

    @Option(names = "--controller", description = "Run the controller.")
    private boolean controller;

    @Option(names = "--node", description = "Run a cache node.")
    private boolean node;

    // Not required by picocli: a parent's required option would be demanded of 'keygen' too.
    @Option(names = "--config", paramLabel = "FILE",
            description = "INI configuration file with a [config] section (required to run a role).")
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
        if (config == null) {
            System.err.println("opencache: --config FILE is required to run a role (see --help)");
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
        LoggingSetup.apply(controller ? controllerConfig.logging() : nodeConfig.logging(),
                LoggingSetup.fileName(controller, node));
        Logger log = LoggerFactory.getLogger(OpenCacheMain.class);
        log.info("max heap {} MiB ({})", Runtime.getRuntime().maxMemory() >> 20,
                heapOrigin(new HeapSize(controller, node, node ? nodeConfig.maxCacheSize() : 0,
                        node ? nodeConfig.maxDisk() : 0)));
        Deque<AutoCloseable> running = new ArrayDeque<>();
        Node runningNode = null;
        try {
            if (controller) {
                running.push(Controller.start(controllerConfig));
            }
            if (node) {
                runningNode = Node.start(nodeConfig);
                running.push(runningNode);
            }
        } catch (SettingException e) {
            // A port in use, a data_path held by another controller: fixed in the config, like a config error.
            log.error("start-up failed: {}", e.getMessage());
            closeAll(running, log);
            return CONFIG_ERROR;
        } catch (Exception e) {
            log.error("start-up failed: {}", e.getMessage());
            closeAll(running, log);
            return 1;
        }
        reopenLogsOnHangup(runningNode, log);
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

    /** SIGHUP reopens the process log and the node's access log (logrotate; {@code opencache reopen-logs}). */
    private static void reopenLogsOnHangup(Node runningNode, Logger log) {
        Hangup.onHangup(() -> {
            LoggingSetup.reopen();
            if (runningNode != null) {
                runningNode.reopenLogs().whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("access log not reopened: {}", failure.toString());
                    }
                });
            }
        }, log);
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

    /**
     * {@code opencache keygen DIR}: writes a key pair for the CURVE-secured node link,
     * {@code DIR/link.key} (mode 0600) and {@code DIR/link.pub} (docs/design.md §2, §5). Exit
     * status 0, or 1 when a key file exists already or cannot be written.
     */
    @Command(name = "keygen", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = {"Writes a key pair for the CURVE-secured node link: DIR/link.key (secret, mode 0600) "
                    + "and DIR/link.pub (public).",
                "Give link.key to link_secret_key on this host; copy link.pub to the other side: a node's into "
                    + "the controller's link_authorized_keys, the controller's to each node's controller_public_key."})
    static final class Keygen implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "Directory for the key files; created when missing.")
        private Path dir;

        @Override
        public Integer call() {
            try {
                LinkKeys.Written written = LinkKeys.write(dir);
                System.out.println("wrote " + written.secretFile() + " (secret key, mode 0600; link_secret_key) and "
                        + written.publicFile() + " (public key)");
                System.out.println("public key: " + written.pair().publicKey());
                return 0;
            } catch (IOException e) {
                System.err.println("opencache keygen: " + e.getMessage());
                return 1;
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
