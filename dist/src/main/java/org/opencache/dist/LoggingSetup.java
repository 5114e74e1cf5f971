package org.opencache.dist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opencache.common.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code verbosity} and {@code log_path} to Logback once the config file is read. Output
 * always goes to standard output (as the original OpenCache did); with {@code log_path} it goes
 * to the file as well.
 */
final class LoggingSetup {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    private static final String FILE_APPENDER = "FILE";

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
        root.addAppender(fileAppender(context, file.toString()));
        root.info("logging to {}", file);
    }

    /**
     * Reopens the log file by its name, as logrotate needs after renaming it (SIGHUP or
     * {@code opencache reopen-logs}): an appender on the new file starts before the old one
     * stops, so no line is lost (one logged in between may land in both). Nothing without a
     * log file.
     *
     * @return the file reopened, or empty when the process logs to standard output only
     */
    static Optional<String> reopen() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!(root.getAppender(FILE_APPENDER) instanceof FileAppender<ILoggingEvent> old)) {
            return Optional.empty();
        }
        FileAppender<ILoggingEvent> fresh = fileAppender(context, old.getFile());
        if (!fresh.isStarted()) {
            root.warn("log_path: cannot reopen {}; still logging to the file open before", old.getFile());
            return Optional.empty();
        }
        root.addAppender(fresh);
        root.detachAppender(old);
        old.stop();
        root.info("log file {} reopened", old.getFile());
        return Optional.of(old.getFile());
    }

    private static FileAppender<ILoggingEvent> fileAppender(LoggerContext context, String file) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(FILE_APPENDER);
        appender.setFile(file);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
