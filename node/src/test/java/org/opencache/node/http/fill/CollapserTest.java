package org.opencache.node.http.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opencache.node.store.StoreKey;

class CollapserTest {
    private final Collapser collapser = new Collapser();
    private final StoreKey key = new StoreKey("i", "http://a:80/x");

    @Test
    void firstRequestLeadsAndLaterOnesFollowTheSameFlight() {
        Collapser.Flight leader = collapser.join(key);
        Collapser.Flight follower = collapser.join(key);

        assertTrue(leader.leader());
        assertFalse(follower.leader());
        assertSame(leader.landed(), follower.landed());
        assertTrue(collapser.join(new StoreKey("i", "http://a:80/y")).leader());
    }

    @Test
    void landingTellsFollowersAndClearsTheWayForANewFlight() {
        Collapser.Flight leader = collapser.join(key);
        Collapser.Flight follower = collapser.join(key);

        collapser.land(leader, Landing.STORED);
        collapser.land(follower, Landing.NOT_STORED);

        assertTrue(follower.landed().join().stored());
        assertEquals(0, collapser.inFlight());
        assertTrue(collapser.join(key).leader());
    }
}
