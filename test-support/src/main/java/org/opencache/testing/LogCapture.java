package org.opencache.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what a logger (and the loggers below it) logs during a test, for tests whose subject
 * is a log line: that a warning names what it must, or that a flood gives one line and not one
 * per message. Tests run on Logback (test scope in every module), so the real appender chain is
 * used; the lines still reach the console too.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    /** Appends under its own lock (Logback's AppenderBase), so reads take the same lock. */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /**
     * Starts collecting what {@code name} logs, e.g. {@code org.opencache.node.store} or a class's name.
     */
    public LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    /** The formatted messages logged at WARN so far, oldest first. */
    public List<String> warnings() {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    /** The formatted messages logged at WARN so far that contain {@code text}. */
    public List<String> warningsContaining(String text) {
        return warnings().stream().filter(line -> line.contains(text)).toList();
    }

    /** The formatted messages logged at INFO so far that contain {@code text}. */
    public List<String> infosContaining(String text) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getLevel() == Level.INFO)
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains(text))
                    .toList();
        }
    }

    /** Stops collecting. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
