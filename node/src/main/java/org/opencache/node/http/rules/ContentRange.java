package org.opencache.node.http.rules;

import java.util.Optional;

/**
 * The {@code Content-Range} of a single-part 206 (RFC 9110 §14.4): which bytes of how long a
 * representation the response carries. Only the complete form, {@code bytes first-last/length},
 * is accepted: a part of unknown length ({@code /*}) cannot be placed in a representation, and
 * {@code bytes *}{@code /length} belongs to a 416.
 *
 * @param range  the bytes carried, inclusive
 * @param length the complete length of the representation
 */
public record ContentRange(ByteRanges.Range range, long length) {

    /** Parses a field value; empty when it is absent, malformed, of another unit or inconsistent. */
    public static Optional<ContentRange> parse(String field) {
        if (field == null) {
            return Optional.empty();
        }
        String value = field.strip();
        int space = value.indexOf(' ');
        int dash = value.indexOf('-');
        int slash = value.indexOf('/');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("bytes") || dash < space || slash < dash) {
            return Optional.empty();
        }
        long first = digits(value.substring(space + 1, dash).strip());
        long last = digits(value.substring(dash + 1, slash).strip());
        long length = digits(value.substring(slash + 1).strip());
        // §14.4: last must not be before first, and the range lies within the representation.
        if (first < 0 || last < first || length <= last) {
            return Optional.empty();
        }
        return Optional.of(new ContentRange(new ByteRanges.Range(first, last), length));
    }

    // A non-negative decimal that fits a long, or -1.
    private static long digits(String text) {
        if (text.length() > 18 || !CacheControl.isDigits(text)) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
