package org.opencache.controller.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencache.testing.LogCapture;
import org.opencache.testing.MutableClock;
import org.slf4j.LoggerFactory;

class NodeWarningsTest {
    private static final String LOGGER = "org.opencache.controller.nodes.NodeWarningsTest";
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final LogCapture log = new LogCapture(LOGGER);
    private final NodeWarnings warnings = new NodeWarnings(LoggerFactory.getLogger(LOGGER), clock);

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void logsTheFirstPerNodeThenHoldsBackUntilTheWindowEnds() {
        warnings.warn("node-a", "a 1");
        warnings.warn("node-b", "b 1");
        warnings.warn("node-a", "a 2");
        clock.advance(NodeWarnings.WINDOW.minusMillis(1));
        warnings.warn("node-a", "a 3");

        assertEquals(List.of("a 1", "b 1"), log.warnings());

        clock.advance(Duration.ofMillis(1));
        warnings.warn("node-a", "a 4");
        warnings.warn("node-a", "a 5");

        assertEquals(List.of("a 1", "b 1", "a 4 (2 more warning(s) about node-a held back since " + T0 + ")"),
                log.warnings());
    }

    @Test
    void aQuietNodeIsLoggedPlainlyAfterTheWindow() {
        warnings.warn("node-a", "a 1");
        clock.advance(NodeWarnings.WINDOW);
        warnings.warn("node-a", "a 2");

        assertEquals(List.of("a 1", "a 2"), log.warnings());
    }
}
