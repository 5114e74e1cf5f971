package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencache.node.http.rules.ByteRanges.Range;

/**
 * The parts of one representation a cache holds from 206 responses (RFC 9111 §3.3, §3.4), and the
 * arithmetic on them: whether they cover a requested range, whether together they are the whole
 * representation, which ones a new part makes redundant. Free of I/O: each part's bytes are a
 * stored object of their own, named by the part's id ({@link CacheKeys#partKey}); this list is
 * what the URL's parts record ({@link CacheKeys#partsKey}) says about them.
 *
 * <p>Bounded: a part wholly inside a newer one is dropped, and past {@link #MAX_PARTS} the oldest
 * go, so a client that reads a large object in many small ranges cannot grow the record without
 * limit. Parts overlap freely; reading follows them in order of their first byte.
 *
 * @param parts the parts, oldest first
 */
public record StoredParts(List<Part> parts) {

    /** The most parts kept per URL: enough for a player's seeks, few enough to read on every lookup. */
    public static final int MAX_PARTS = 16;

    /** The record's internal entry for one part (':' entries are never sent to clients). */
    public static final String ENTRY = ":part";

    /** No parts. */
    public static final StoredParts NONE = new StoredParts(List.of());

    /**
     * One stored part.
     *
     * @param range the bytes it holds, inclusive
     * @param id    what names its stored object
     */
    public record Part(Range range, String id) {
    }

    /** Copies the list so the record stays immutable. */
    public StoredParts {
        parts = List.copyOf(parts);
    }

    /** The parts a record's entries list; entries that do not parse are skipped. */
    public static StoredParts fromEntries(List<Map.Entry<String, String>> entries) {
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries) {
            if (!entry.getKey().equals(ENTRY)) {
                continue;
            }
            String[] fields = entry.getValue().split(" ");
            int dash = fields[0].indexOf('-');
            if (fields.length != 2 || dash < 0) {
                continue;
            }
            try {
                long first = Long.parseLong(fields[0].substring(0, dash));
                long last = Long.parseLong(fields[0].substring(dash + 1));
                if (first >= 0 && last >= first) {
                    parts.add(new Part(new Range(first, last), fields[1]));
                }
            } catch (NumberFormatException malformed) {
                // not one of ours: skip it
            }
        }
        return new StoredParts(parts);
    }

    /** The record entries that list these parts. */
    public List<Map.Entry<String, String>> entries() {
        return parts.stream()
                .map(part -> Map.entry(ENTRY, part.range().first() + "-" + part.range().last() + " " + part.id()))
                .toList();
    }

    /**
     * These parts with a newer one: parts it wholly contains are dropped (its bytes replace
     * theirs, RFC 9111 §3.4), and the oldest ones past {@link #MAX_PARTS}.
     */
    public StoredParts with(Part newer) {
        List<Part> kept = new ArrayList<>();
        for (Part part : parts) {
            if (!contains(newer.range(), part.range())) {
                kept.add(part);
            }
        }
        kept.add(newer);
        return new StoredParts(kept.subList(Math.max(0, kept.size() - MAX_PARTS), kept.size()));
    }

    /** The parts of these that {@code after} no longer lists. */
    public List<Part> droppedIn(StoredParts after) {
        return parts.stream().filter(part -> !after.parts().contains(part)).toList();
    }

    /** Whether every byte of {@code range} is in some part. */
    public boolean covers(Range range) {
        long next = range.first();
        for (Part part : byFirstByte()) {
            if (part.range().first() > next) {
                break;
            }
            next = Math.max(next, part.range().last() + 1);
            if (next > range.last()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The last byte of the run of bytes the parts hold from the first byte on, or -1 when they
     * do not hold the first byte: the stored prefix a range request can complete (RFC 9111 §3.3).
     */
    public long prefixEnd() {
        long next = 0;
        for (Part part : byFirstByte()) {
            if (part.range().first() > next) {
                break;
            }
            next = Math.max(next, part.range().last() + 1);
        }
        return next - 1;
    }

    /** Whether the parts together are the whole of a {@code length}-byte representation (§15.3.7.3). */
    public boolean complete(long length) {
        return length > 0 && covers(new Range(0, length - 1));
    }

    /**
     * The parts to read {@code range} from, in order: each starts at or before the first byte the
     * previous ones leave unread, so together they cover the range; empty if they do not.
     */
    public Optional<List<Part>> readingOrder(Range range) {
        List<Part> chosen = new ArrayList<>();
        long next = range.first();
        for (Part part : byFirstByte()) {
            if (part.range().first() > next) {
                break;
            }
            if (part.range().last() >= next) {
                chosen.add(part);
                next = part.range().last() + 1;
                if (next > range.last()) {
                    return Optional.of(chosen);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether there are no parts. */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    private List<Part> byFirstByte() {
        return parts.stream().sorted(Comparator.comparingLong((Part part) -> part.range().first())
                .thenComparing(Comparator.comparingLong((Part part) -> part.range().last()).reversed())).toList();
    }

    private static boolean contains(Range outer, Range inner) {
        return outer.first() <= inner.first() && inner.last() <= outer.last();
    }
}
