package org.opencache.node.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the store package's log events during a test. */
final class LogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("org.opencache.node.store");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Starts collecting. */
    LogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** The formatted messages logged at WARN so far. */
    List<String> warnings() {
        return appender.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Stops collecting. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
