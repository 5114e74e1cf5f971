package org.opencache.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencache.common.retry.Backoff;

/** Issue 17 item 16: a node without a controller used to warn at every hello, every 10 s forever. */
class FailureReportsTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /**
     * The node's hellos while no controller answers (0.5 s doubling to 10 s, as {@link HelloSchedule}
     * sends them, without jitter), each one a failure, for two hours: the seconds at which a line is logged.
     */
    @Test
    void aControllerAwayForTwoHoursCostsADozenLinesThenOneAnHour() {
        FailureReports reports = new FailureReports();
        Backoff hellos = Backoff.exact(Duration.ofMillis(500), Duration.ofSeconds(10));
        List<Long> lines = new ArrayList<>();
        for (Instant now = T0; now.isBefore(T0.plus(Duration.ofHours(2))); now = now.plus(hellos.next())) {
            if (reports.failed(now)) {
                lines.add(Duration.between(T0, now).toSeconds());
            }
        }
        // Quiet of 10 s, 20 s, 40 s, … after each line, until it is an hour.
        assertEquals(List.of(0L, 15L, 35L, 75L, 155L, 315L, 635L, 1275L, 2555L, 5115L), lines);
        assertEquals(10, lines.size(), "where 720 hellos used to give about 720 warnings");
    }

    @Test
    void theGapDoublesFromTheFirstLineAndStopsAtTheMaximum() {
        FailureReports reports = new FailureReports(Duration.ofSeconds(10), Duration.ofSeconds(40));
        assertTrue(reports.failed(T0), "the first failure of a run is logged");
        assertEquals(Duration.ofSeconds(10), reports.gap());
        assertFalse(reports.failed(T0.plusSeconds(9)));
        assertTrue(reports.failed(T0.plusSeconds(10)));
        assertEquals(Duration.ofSeconds(20), reports.gap());
        assertFalse(reports.failed(T0.plusSeconds(29)));
        assertTrue(reports.failed(T0.plusSeconds(30)));
        assertEquals(Duration.ofSeconds(40), reports.gap());
        assertTrue(reports.failed(T0.plusSeconds(70)));
        assertEquals(Duration.ofSeconds(40), reports.gap(), "at most the maximum");
        assertFalse(reports.failed(T0.plusSeconds(109)));
        assertTrue(reports.failed(T0.plusSeconds(110)));
    }

    @Test
    void aConnectionEndsTheRunAndSaysHowLongItLasted() {
        FailureReports reports = new FailureReports(Duration.ofSeconds(10), Duration.ofHours(1));
        assertEquals(Optional.empty(), reports.ended(T0), "connected at the first hello: nothing failed");

        reports.failed(T0);
        reports.failed(T0.plusSeconds(10));
        assertEquals(Optional.of(Duration.ofSeconds(25)), reports.ended(T0.plusSeconds(25)));

        // The next loss starts a new run: its first failure is logged, with the first gap again.
        assertTrue(reports.failed(T0.plusSeconds(26)));
        assertEquals(Duration.ofSeconds(10), reports.gap());
        assertFalse(reports.failed(T0.plusSeconds(27)));
    }
}
