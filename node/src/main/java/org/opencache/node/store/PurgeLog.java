package org.opencache.node.store;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The purges a commit must not undo. A writer notes the purge sequence number when it begins; a
 * purge that matches its key and was registered after that refuses its commit, so a fill that
 * was in flight when the purge arrived cannot bring the purged object back.
 *
 * <p>Registration and the check-then-index of a commit exclude each other (a read-write lock:
 * commits share it, a registration takes it alone for a few instructions). So every commit is
 * either refused or indexed before the purge's scan starts, and then the scan finds it.
 *
 * <p>While a purge runs, {@link #hides} makes the objects it matches misses at once, so nothing
 * it will drop is served during a long prefix scan. The last {@value #KEPT} purges are kept; a
 * writer that began before the oldest of them is refused (it would be hours old).
 */
final class PurgeLog {
    static final int KEPT = 4096;

    private record Entry(long seq, PurgeMatch match) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private volatile long seq;
    /** Sequence number of the newest purge no longer kept; writers older than it are refused. */
    private long floor;
    private volatile PurgeMatch[] running = new PurgeMatch[0];

    /** The sequence number a writer that begins now notes. */
    long current() {
        return seq;
    }

    /**
     * Runs {@code commit} unless a purge registered after {@code since} matches {@code key}; in
     * that case returns {@code refused}. Registration waits while a commit runs.
     */
    <T> T committing(long since, StoreKey key, Supplier<T> commit, T refused) {
        lock.readLock().lock();
        try {
            return purgedSince(since, key) ? refused : commit.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Registers a purge that starts now; call {@link #finished} when it is done. */
    long register(PurgeMatch match) {
        lock.writeLock().lock();
        try {
            long number = seq + 1;
            synchronized (recent) {
                recent.addLast(new Entry(number, match));
                while (recent.size() > KEPT) {
                    floor = recent.removeFirst().seq();
                }
            }
            PurgeMatch[] now = Arrays.copyOf(running, running.length + 1);
            now[now.length - 1] = match;
            running = now;
            seq = number;
            return number;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The purge is done: what it matched is gone, so lookups need not check it any more. */
    void finished(PurgeMatch match) {
        lock.writeLock().lock();
        try {
            PurgeMatch[] now = running.clone();
            for (int i = 0; i < now.length; i++) {
                if (now[i] == match) {
                    PurgeMatch[] fewer = new PurgeMatch[now.length - 1];
                    System.arraycopy(now, 0, fewer, 0, i);
                    System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                    running = fewer;
                    return;
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether a purge under way matches {@code key} (one volatile read when none runs). */
    boolean hides(StoreKey key) {
        PurgeMatch[] now = running;
        for (PurgeMatch match : now) {
            if (match.matches(key)) {
                return true;
            }
        }
        return false;
    }

    private boolean purgedSince(long since, StoreKey key) {
        if (since == seq) {
            return false;
        }
        synchronized (recent) {
            if (since < floor) {
                return true;
            }
            for (var it = recent.descendingIterator(); it.hasNext();) {
                Entry entry = it.next();
                if (entry.seq() <= since) {
                    return false;
                }
                if (entry.match().matches(key)) {
                    return true;
                }
            }
            return false;
        }
    }
}
