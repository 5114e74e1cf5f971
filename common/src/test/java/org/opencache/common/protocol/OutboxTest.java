package org.opencache.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void wakesThePollerAndDrainsInOrder() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (Outbox<Integer> outbox = new Outbox<>(); Selector selector = Selector.open()) {
                outbox.wakeChannel().register(selector, SelectionKey.OP_READ);
                assertEquals(0, selector.selectNow(), "nothing pending yet");

                Thread producer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        outbox.offer(i);
                    }
                });
                List<Integer> drained = new ArrayList<>();
                while (drained.size() < 1000) {
                    selector.select(); // blocks until a wake-up: no item may be stranded
                    selector.selectedKeys().clear();
                    outbox.drain(drained::add);
                }
                producer.join();
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i, drained.get(i));
                }
                // A producer may signal just after a drain reset the flag yet before it took the
                // item: that leaves a spurious wake-up, which must then find nothing left.
                if (selector.selectNow() > 0) {
                    List<Integer> extra = new ArrayList<>();
                    outbox.drain(extra::add);
                    assertEquals(List.of(), extra, "a leftover wake-up drains nothing");
                }
                assertEquals(0, selector.selectNow(), "drained: no wake-up left");
            }
        });
    }

    @Test
    void refusesItemsOnceClosed() {
        Outbox<String> outbox = new Outbox<>();
        assertTrue(outbox.offer("a"));
        outbox.close();
        assertFalse(outbox.offer("b"));
        outbox.wake(); // harmless after close
    }
}
