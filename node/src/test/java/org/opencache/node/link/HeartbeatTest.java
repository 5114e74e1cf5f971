package org.opencache.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    @Test
    void beatsEveryIntervalAfterHello() {
        Heartbeat heartbeat = new Heartbeat(INTERVAL);
        heartbeat.start(T0);

        assertFalse(heartbeat.due(T0.plusSeconds(4)));
        assertTrue(heartbeat.due(T0.plusSeconds(5)));
        heartbeat.sent(1, T0.plusSeconds(5));
        assertFalse(heartbeat.due(T0.plusSeconds(9)));
        assertEquals(T0.plusSeconds(10), heartbeat.nextDeadline());
    }

    @Test
    void theControllerIsLostWhenTheOldestKeepAliveIsUnansweredForTwoIntervals() {
        Heartbeat heartbeat = new Heartbeat(INTERVAL);
        heartbeat.start(T0);
        heartbeat.sent(1, T0.plusSeconds(5));
        heartbeat.sent(2, T0.plusSeconds(10));

        assertFalse(heartbeat.lost(T0.plusSeconds(14)));
        assertTrue(heartbeat.lost(T0.plusSeconds(15)));
        assertEquals(Duration.ofSeconds(10), heartbeat.patience());
    }

    @Test
    void anAnswerSettlesItsKeepAliveAndEveryEarlierOne() {
        Heartbeat heartbeat = new Heartbeat(INTERVAL);
        heartbeat.start(T0);
        heartbeat.sent(1, T0.plusSeconds(5));
        heartbeat.sent(2, T0.plusSeconds(10));
        heartbeat.sent(3, T0.plusSeconds(15));

        assertTrue(heartbeat.answered(2));
        assertFalse(heartbeat.answered(1), "already settled");
        assertFalse(heartbeat.answered(99), "not a keep-alive");
        // Keep-alive 3 is now the oldest unanswered one.
        assertFalse(heartbeat.lost(T0.plusSeconds(24)));
        assertTrue(heartbeat.lost(T0.plusSeconds(25)));
        assertTrue(heartbeat.answered(3));
        assertFalse(heartbeat.lost(T0.plusSeconds(60)));
    }
}
