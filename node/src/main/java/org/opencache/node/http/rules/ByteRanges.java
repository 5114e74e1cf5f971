package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Range: bytes=…} request field resolved against a representation's length (RFC 9110
 * §14.1.2). An unparsable field, another unit or too many ranges is ignored (the whole
 * representation is sent, as §14.2 allows); a parsable one with no satisfiable range means 416.
 *
 * @param ranges the satisfiable ranges in request order, clipped to the length; empty means 416
 * @param length the representation's length
 */
public record ByteRanges(List<Range> ranges, long length) {

    /** More ranges than this are ignored: many small ranges cost more than the whole body (§14.2). */
    static final int MAX_RANGES = 16;

    /**
     * One satisfiable range, inclusive.
     *
     * @param first the first byte
     * @param last  the last byte
     */
    public record Range(long first, long last) {
        /** The number of bytes. */
    public     long size() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value for this range of a {@code length}-byte representation. */
    public     String contentRange(long length) {
            return "bytes " + first + "-" + last + "/" + length;
        }
    }

    /** Copies the list so the record stays immutable. */
    public ByteRanges {
        ranges = List.copyOf(ranges);
    }

    /** Whether no range is satisfiable (416). */
    public boolean unsatisfiable() {
        return ranges.isEmpty();
    }

    /** Resolves a {@code Range} field value; empty when it is to be ignored. */
    public static Optional<ByteRanges> parse(String field, long length) {
        if (field == null || length < 0) {
            return Optional.empty();
        }
        String value = field.strip();
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return Optional.empty();
        }
        String[] specs = value.substring(equals + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return Optional.empty();
        }
        List<Range> satisfiable = new ArrayList<>();
        for (String spec : specs) {
            Optional<Optional<Range>> range = parseSpec(spec.strip(), length);
            if (range.isEmpty()) {
                return Optional.empty();
            }
            range.get().ifPresent(satisfiable::add);
        }
        return Optional.of(new ByteRanges(satisfiable, length));
    }

    // Empty: invalid syntax; empty inside: valid but unsatisfiable.
    private static Optional<Optional<Range>> parseSpec(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        if (first.isEmpty()) {
            long suffix = digits(last);
            if (suffix < 0) {
                return Optional.empty();
            }
            return Optional.of(suffix == 0 || length == 0 ? Optional.empty()
                    : Optional.of(new Range(Math.max(0, length - suffix), length - 1)));
        }
        long from = digits(first);
        long to = last.isEmpty() ? Long.MAX_VALUE : digits(last);
        if (from < 0 || to < 0 || to < from) {
            return Optional.empty();
        }
        return Optional.of(from >= length ? Optional.empty() : Optional.of(new Range(from, Math.min(to, length - 1))));
    }

    // A non-negative decimal, or -1; values past Long's range count as huge, not invalid.
    private static long digits(String text) {
        if (!CacheControl.isDigits(text)) {
            return -1;
        }
        return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    }
}
