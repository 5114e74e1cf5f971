package org.opencache.common.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code a|b|c} list grammar shared by expressions, node selectors and fetch URLs, and the
 * quoting used in every error message, so that all three lists trim, reject empty parts, collapse
 * duplicates and word their errors the same way.
 *
 * <p>Messages take the form {@code <where>: <problem>}, where {@code <where>} is the quoted text
 * when there is a single part and {@code part N of '<text>'} when there are several. The text
 * goes back to operators in JSON-RPC errors, so quoting escapes control characters (one line,
 * always) and shortens very long input.
 */
final class Parts {
    /** Separates the parts of a list. */
    static final char SEPARATOR = '|';
    /** The part that stands for "all". */
    static final String ALL = "*";

    private static final int MAX_QUOTED_LENGTH = 64;

    private Parts() {
    }

    /** Parses one part; the exception message names the problem without saying where it is. */
    @FunctionalInterface
    interface PartParser<T> {
        T parse(String part) throws InvalidExpressionException;
    }

    /**
     * Splits {@code text} on {@code '|'}, trims and parses each part, and collapses parts with the
     * same key, keeping the first-seen order.
     *
     * @param label           prefix naming the parameter in messages, e.g. {@code "node-id "}, or ""
     * @param emptyProblem    what to say when the whole text is empty
     * @param wildcardMeaning what {@code *} stands for (e.g. "traffic") when {@code *} may stand
     *                        alone; {@code null} when the part parser rejects {@code *} itself
     */
    static <T> List<T> parseAll(String text, String label, String emptyProblem, String wildcardMeaning,
            PartParser<T> parser, Function<T, ?> key) throws InvalidExpressionException {
        String whole = strip(text);
        if (whole.isEmpty()) {
            throw new InvalidExpressionException(label + quote(whole) + ": " + emptyProblem);
        }
        List<String> parts = split(whole);
        Map<Object, T> unique = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = strip(parts.get(i));
            String where = parts.size() == 1 ? label + quote(part) : "part " + (i + 1) + " of " + label + quote(whole);
            if (part.isEmpty()) {
                throw new InvalidExpressionException(where + " is empty");
            }
            if (wildcardMeaning != null && parts.size() > 1 && part.equals(ALL)) {
                throw new InvalidExpressionException(where + ": '*' means all " + wildcardMeaning
                        + " and cannot be combined with other parts");
            }
            T parsed;
            try {
                parsed = parser.parse(part);
            } catch (InvalidExpressionException problem) {
                throw new InvalidExpressionException(where + ": " + problem.getMessage());
            }
            unique.putIfAbsent(key.apply(parsed), parsed);
        }
        return List.copyOf(unique.values());
    }

    /** The text in single quotes, control characters escaped and shortened to one readable line. */
    static String quote(String text) {
        return "'" + truncate(text) + "'";
    }

    /** The text with control characters escaped, shortened when it would swamp a message. */
    static String truncate(String text) {
        return ClientText.echo(text, MAX_QUOTED_LENGTH);
    }

    /** One character for a message: quoted when printable ASCII, else as its code point. */
    static String describe(char c) {
        return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** Whether a character is some kind of space, including no-break spaces. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * The text without leading and trailing spaces; unlike {@link String#strip()} this includes
     * no-break spaces, which a copy from a web page or a document easily brings along.
     */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Whether the text has a space character anywhere. */
    static boolean hasSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isSpace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first character of {@code text} that is one of {@code characters}, or -1. */
    static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int bar = text.indexOf(SEPARATOR); bar >= 0; bar = text.indexOf(SEPARATOR, start)) {
            parts.add(text.substring(start, bar));
            start = bar + 1;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
