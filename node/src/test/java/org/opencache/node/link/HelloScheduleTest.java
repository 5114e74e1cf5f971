package org.opencache.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencache.common.retry.Backoff;

class HelloScheduleTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void unansweredHellosBackOffFromHalfASecondToTenSeconds() {
        HelloSchedule hellos = new HelloSchedule(Backoff.exact(Duration.ofMillis(500), Duration.ofSeconds(10)));
        hellos.restart(T0);
        assertTrue(hellos.due(T0));

        Instant now = T0;
        long[] expected = {500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000};
        for (int i = 0; i < expected.length; i++) {
            Duration delay = hellos.sent(i + 1, now);
            assertEquals(Duration.ofMillis(expected[i]), delay);
            assertEquals(i + 1, hellos.attempts());
            assertFalse(hellos.due(now.plus(delay).minusMillis(1)));
            now = now.plus(delay);
            assertTrue(hellos.due(now));
        }
        assertTrue(hellos.isHello(1) && hellos.isHello(7), "an answer to any hello of the round counts");
    }

    @Test
    void aHelloThatCouldNotGoOutIsRetriedSoon() {
        HelloSchedule hellos = new HelloSchedule(Backoff.exact(Duration.ofMillis(500), Duration.ofSeconds(10)));
        hellos.restart(T0);

        hellos.unsent(T0);
        assertEquals(T0.plusMillis(100), hellos.next());
        hellos.unsent(T0.plusMillis(100));
        assertEquals(T0.plusMillis(200), hellos.next());
        assertEquals(0, hellos.attempts(), "nothing went out, nothing to back off from");
    }

    @Test
    void anAnswerOrARestartEndsTheRound() {
        HelloSchedule hellos = new HelloSchedule(Backoff.exact(Duration.ofMillis(500), Duration.ofSeconds(10)));
        hellos.restart(T0);
        hellos.sent(1, T0);
        hellos.sent(2, T0.plusMillis(500));

        hellos.answered();
        assertFalse(hellos.isHello(1));

        hellos.sent(3, T0.plusSeconds(5));
        hellos.restart(T0.plusSeconds(6));
        assertFalse(hellos.isHello(3));
        assertEquals(0, hellos.attempts());
        assertEquals(Duration.ofMillis(500), hellos.sent(4, T0.plusSeconds(6)), "back-off starts over");
    }
}
