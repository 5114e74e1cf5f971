package org.opencache.node.http.fill;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.opencache.node.store.StoreKey;

/**
 * Request collapsing: of the concurrent requests that need the origin for one key, the first
 * (the leader) fetches and the others (followers) wait for it to land, then read the store.
 *
 * <p>The leader lands its flight once the outcome is known: as soon as the response turns out
 * not storable (so followers need not wait for its body), or when the object has been committed.
 * The flight is removed before it is completed, so a follower that wakes up and needs the origin
 * again starts a new flight instead of joining the finished one.
 */
final class Collapser {
    private final ConcurrentMap<StoreKey, InFlight> flights = new ConcurrentHashMap<>();

    /** A flight in the air: how it lands, and how many requests joined it as followers. */
    private record InFlight(CompletableFuture<Landing> landed, AtomicInteger followers) {
    }

    /**
     * One request's place in a flight.
     *
     * @param key    the key the flight is for
     * @param leader whether this request fetches; else it follows
     * @param landed completes with how the leader's fill ended
     */
    record Flight(StoreKey key, boolean leader, CompletableFuture<Landing> landed) {
    }

    /** Joins the flight for a key, leading it if there is none. */
    Flight join(StoreKey key) {
        InFlight mine = new InFlight(new CompletableFuture<>(), new AtomicInteger());
        InFlight existing = flights.putIfAbsent(key, mine);
        if (existing == null) {
            return new Flight(key, true, mine.landed());
        }
        existing.followers().incrementAndGet();
        return new Flight(key, false, existing.landed());
    }

    /** Ends a flight this request leads; later calls do nothing. */
    void land(Flight flight, Landing landing) {
        if (flight.leader()) {
            flights.computeIfPresent(flight.key(),
                    (key, airborne) -> airborne.landed() == flight.landed() ? null : airborne);
            flight.landed().complete(landing);
        }
    }

    /** How many flights are in the air (tests, diagnostics). */
    int inFlight() {
        return flights.size();
    }

    /**
     * How many requests joined the flight in the air for {@code key} as followers, 0 if none is
     * (tests, diagnostics).
     */
    int followers(StoreKey key) {
        InFlight flight = flights.get(key);
        return flight == null ? 0 : flight.followers().get();
    }
}
