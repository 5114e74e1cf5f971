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
    void followersAreCountedPerFlightUntilItLands() {
        Collapser.Flight leader = collapser.join(key);
        assertEquals(0, collapser.followers(key));
        collapser.join(key);
        collapser.join(key);
        collapser.join(new StoreKey("i", "http://a:80/y"));

        assertEquals(2, collapser.followers(key));
        collapser.land(leader, Landing.STORED);
        assertEquals(0, collapser.followers(key));
        assertTrue(collapser.join(key).leader());
        assertEquals(0, collapser.followers(key), "a new flight starts without followers");
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
