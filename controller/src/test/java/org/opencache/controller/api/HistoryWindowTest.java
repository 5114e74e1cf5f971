package org.opencache.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-23T13:00:00Z");
    private static final Instant DAY_AGO = NOW.minus(Duration.ofDays(1));

    @Test
    void defaultsToTheLastHourInMinutes() {
        HistoryWindow window = HistoryWindow.of(null, null, null, NOW);
        assertEquals(new HistoryWindow(NOW.minus(Duration.ofHours(1)), NOW, Duration.ofMinutes(1)), window);
        assertEquals(60, window.intervals());
    }

    @Test
    void theDefaultStepKeepsAtMostAThousandPoints() {
        HistoryWindow day = HistoryWindow.of(DAY_AGO, NOW, null, NOW);
        assertEquals(Duration.ofSeconds(87), day.step(), "86400 s / 1000, rounded up");
        assertEquals(994, day.intervals());
        HistoryWindow tenMinutes = HistoryWindow.of(NOW.minusSeconds(600), null, null, NOW);
        assertEquals(Duration.ofMinutes(1), tenMinutes.step(), "never finer than a minute by default");
        assertEquals(10, tenMinutes.intervals());
    }

    @Test
    void stepIsSecondsOrADuration() {
        assertEquals(Duration.ofMinutes(5), HistoryWindow.of(DAY_AGO, NOW, "300", NOW).step());
        assertEquals(Duration.ofMinutes(5), HistoryWindow.of(DAY_AGO, NOW, "5m", NOW).step());
        assertEquals(288, HistoryWindow.of(DAY_AGO, NOW, "5m", NOW).intervals());
        assertEquals(1, HistoryWindow.of(DAY_AGO, NOW, "2d", NOW).intervals(), "a step longer than the window");
    }

    @Test
    void aStepGivingMoreThanAThousandPointsIsRefusedWithTheSmallestThatFits() {
        RpcException e = assertThrows(RpcException.class, () -> HistoryWindow.of(DAY_AGO, NOW, "60", NOW));
        assertEquals(-32602, e.code());
        assertEquals("step 1m gives 1440 points from 2026-11-22T13:00:00Z to 2026-11-23T13:00:00Z; a series has at"
                + " most 1000: use a step of at least 87s (or omit step to get that)", e.data());
        assertEquals(1000, HistoryWindow.of(NOW.minusSeconds(1000), NOW, "1", NOW).intervals(), "exactly 1000 is fine");
    }

    @Test
    void badStepsAndWindowsSayWhatToChange() {
        assertTrue(message(() -> HistoryWindow.of(null, null, "soon", NOW)).startsWith("step: 'soon' is not a duration"));
        assertTrue(message(() -> HistoryWindow.of(null, null, "1500ms", NOW)).contains("not a whole number of seconds"));
        assertTrue(message(() -> HistoryWindow.of(null, null, "0", NOW)).contains("of at least 1"));
        assertEquals("'from' (2026-11-23T13:00:00Z) must be before 'to' (2026-11-23T13:00:00Z), which is absent: now",
                message(() -> HistoryWindow.of(NOW, null, null, NOW)));
    }

    @Test
    void intervalsStartAtFromAndExcludeTo() {
        HistoryWindow window = HistoryWindow.of(NOW.minusSeconds(150), NOW, "60", NOW);
        assertEquals(3, window.intervals(), "the last one is cut short by 'to'");
        assertEquals(-1, window.indexOf(NOW.minusSeconds(151)));
        assertEquals(0, window.indexOf(NOW.minusSeconds(150)));
        assertEquals(1, window.indexOf(NOW.minusSeconds(90)));
        assertEquals(2, window.indexOf(NOW.minusMillis(1)));
        assertEquals(-1, window.indexOf(NOW));
        assertEquals(NOW.minusSeconds(30), window.start(2));
    }

    private static String message(Runnable call) {
        return (String) assertThrows(RpcException.class, call::run).data();
    }
}
