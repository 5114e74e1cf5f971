package org.opencache.dist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opencache.common.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code verbosity} and {@code log_path} to Logback once the config file is read. Output
 * always goes to standard output (as the original OpenCache did); with {@code log_path} it goes
 * to the file as well.
 */
final class LoggingSetup {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    private LoggingSetup() {
    }

    /**
     * Sets the level and adds the file appender.
     *
     * @param fileName the file created when {@code log_path} is a directory: the role's, so two
     *                 processes on one host that share a {@code log_path} write apart
     */
    static void apply(LoggingConfig config, String fileName) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(config.verbosity()));
        config.file(fileName).ifPresent(file -> addFile(context, root, file));
    }

    /** The log file's name in a {@code log_path} directory for the roles this process runs. */
    static String fileName(boolean controller, boolean node) {
        if (controller && node) {
            return "opencache.log";
        }
        return controller ? "controller.log" : "node.log";
    }

    private static Level level(int verbosity) {
        return switch (verbosity) {
            case 1 -> Level.ERROR;
            case 2 -> Level.WARN;
            case 3 -> Level.INFO;
            default -> Level.DEBUG;
        };
    }

    private static void addFile(LoggerContext context, Logger root, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            root.warn("log_path: cannot create {} ({}); logging to standard output only", file.getParent(), e.toString());
            return;
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(file.getParent())) {
            root.warn("log_path: {} is not writable; logging to standard output only", file);
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        root.info("logging to {}", file);
    }
}
