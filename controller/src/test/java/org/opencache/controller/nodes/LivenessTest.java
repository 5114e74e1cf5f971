package org.opencache.controller.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LivenessTest {

    @ParameterizedTest(name = "node_timeout {0} ms -> check every {1} ms")
    @CsvSource({"30000, 5000", "1000, 250", "200, 100", "100000, 5000", "8000, 2000"})
    void checksFourTimesPerTimeoutWithinBounds(long timeoutMillis, long periodMillis) {
        assertEquals(Duration.ofMillis(periodMillis), Liveness.period(Duration.ofMillis(timeoutMillis)));
    }
}
