package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2), request or
 * response. Names are case-insensitive; values lose their quotes.
 *
 * <p>Lenient where leniency is safe: a qualified {@code no-cache="Set-Cookie"} or
 * {@code private="X"} counts as the unqualified directive (stricter than required), and a
 * malformed delta-seconds value counts as 0, so a garbled {@code max-age} makes a response stale
 * rather than fresh forever.
 *
 * @param directives lower-case directive name to its unquoted value ("" when it has none)
 */
public record CacheControl(Map<String, String> directives) {

    /** No directives at all. */
    static final CacheControl NONE = new CacheControl(Map.of());

    /** RFC 9111 §1.2.2: delta-seconds beyond 2^31 are capped there. */
    private static final long MAX_DELTA_SECONDS = 2_147_483_648L;

    /** Copies the map so the record stays immutable. */
    public CacheControl {
        directives = Map.copyOf(directives);
    }

    /** Parses the values of every {@code Cache-Control} field line, in order; null or empty → {@link #NONE}. */
    public static CacheControl parse(List<String> fieldValues) {
        if (fieldValues == null || fieldValues.isEmpty()) {
            return NONE;
        }
        Map<String, String> parsed = new HashMap<>();
        for (String value : fieldValues) {
            for (String directive : splitOutsideQuotes(value)) {
                int equals = directive.indexOf('=');
                String name = (equals < 0 ? directive : directive.substring(0, equals)).strip()
                        .toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                String argument = equals < 0 ? "" : unquote(directive.substring(equals + 1).strip());
                // The first occurrence wins: a repeated directive is invalid, and the first is what
                // most caches act on.
                parsed.putIfAbsent(name, argument);
            }
        }
        return new CacheControl(parsed);
    }

    /** Parses a single field value, e.g. {@code "max-age=60, public"}. */
    public static CacheControl parse(String fieldValue) {
        return fieldValue == null ? NONE : parse(List.of(fieldValue));
    }

    /** Whether the directive is present (with or without a value). */
    public boolean has(String name) {
        return directives.containsKey(name);
    }

    /**
     * The delta-seconds value of a directive such as {@code max-age}: empty when the directive is
     * absent, 0 when its value is not a number.
     */
    OptionalLong seconds(String name) {
        String value = directives.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(deltaSeconds(value));
    }

    /**
     * A delta-seconds value (RFC 9111 §1.2.2), as in {@code max-age} or the {@code Age} field:
     * 0 when it is not a number, capped at 2^31.
     */
    static long deltaSeconds(String value) {
        String digits = value.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        // More than ten digits is beyond the cap whatever the digits are; avoids overflow.
        return digits.length() > 10 ? MAX_DELTA_SECONDS : Math.min(Long.parseLong(digits), MAX_DELTA_SECONDS);
    }

    /** The comma-separated members of a field value, commas inside quoted strings kept (RFC 9110 §5.6.1). */
    static List<String> splitOutsideQuotes(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
                continue;
            } else if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            text.append(c);
        }
        return text.toString();
    }
}
