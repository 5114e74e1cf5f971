package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.opencache.common.config.ResponseRulesConfig;

/**
 * The directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2), request or
 * response. Names are case-insensitive; values lose their quotes.
 *
 * <p>Lenient where leniency is safe: a malformed delta-seconds value counts as 0, so a garbled
 * {@code max-age} makes a response stale rather than fresh forever. A qualified
 * {@code no-cache="Set-Cookie"} or {@code private="X"} names the fields a shared cache must not
 * reuse or store ({@link #fieldNames}); one that names a field the cache's own decisions are read
 * from ({@code Cache-Control}, {@code Expires}, {@code Date}, {@code Age}, {@code Last-Modified},
 * {@code Vary}) counts as the unqualified directive, as RFC 9111 §5.2.2.4 and §5.2.2.7 allow.
 *
 * <p>The same directives may come from a targeted field of RFC 9213 ({@link #parseTargeted}),
 * which has the stricter syntax of a Structured Field dictionary, or from {@code Surrogate-Control}
 * ({@link #parseSurrogate}), whose directives may each be targeted at one surrogate.
 *
 * @param directives lower-case directive name to its unquoted value ("" when it has none)
 */
public record CacheControl(Map<String, String> directives) {

    /** No directives at all. */
    static final CacheControl NONE = new CacheControl(Map.of());

    /** RFC 9111 §1.2.2: delta-seconds beyond 2^31 are capped there. */
    static final long MAX_DELTA_SECONDS = 2_147_483_648L;

    /** The directives that may name fields (RFC 9111 §5.2.2.4, §5.2.2.7). */
    private static final Set<String> QUALIFIABLE = Set.of("no-cache", "private");

    /**
     * Fields the cache judges freshness, age and variants by: a qualified directive that names one
     * is taken as unqualified, since storing the response without them would change those judgements.
     */
    private static final Set<String> RULE_FIELDS = Set.of("cache-control", "expires", "date", "age", "last-modified",
            "vary");

    /** RFC 9213 §2.2: the directives whose value is an Integer (delta-seconds). */
    private static final Set<String> INTEGER_DIRECTIVES = Set.of("max-age", "s-maxage", "stale-while-revalidate",
            "stale-if-error");

    /** RFC 9213 §2.2: the directives that take no value, so are a Boolean true. */
    private static final Set<String> BOOLEAN_DIRECTIVES = Set.of("no-store", "must-revalidate", "proxy-revalidate",
            "public", "must-understand", "no-transform", "immutable");

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
                parsed.putIfAbsent(name, qualifiedOrNot(name, argument));
            }
        }
        return new CacheControl(parsed);
    }

    /**
     * The directives of a targeted field (RFC 9213 §2.2), e.g. {@code CDN-Cache-Control}: its
     * field lines joined as one Dictionary Structured Field (RFC 8941 §3.2), each member a
     * directive, parameters ignored. Empty when the field is absent, empty, does not parse, or
     * gives a directive this cache implements a value of the wrong type ({@code max-age="60"},
     * {@code max-age=1.5}, {@code no-store=?0}): RFC 9213 §2.1 then falls back to the next
     * targeted field and in the end to {@code Cache-Control}. Extension directives are kept
     * whatever their value, and are ignored by the rules like unknown ones in {@code Cache-Control}.
     */
    public static Optional<CacheControl> parseTargeted(List<String> fieldValues) {
        if (fieldValues == null || fieldValues.isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<String, StructuredDictionary.Item>> members =
                StructuredDictionary.parse(String.join(", ", fieldValues).strip());
        if (members.isEmpty() || members.get().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parsed = new HashMap<>();
        for (Map.Entry<String, StructuredDictionary.Item> member : members.get().entrySet()) {
            String name = member.getKey();
            StructuredDictionary.Item value = member.getValue();
            if (INTEGER_DIRECTIVES.contains(name)) {
                if (value.type() != StructuredDictionary.Type.INTEGER || value.text().startsWith("-")) {
                    return Optional.empty();
                }
                parsed.put(name, value.text());
            } else if (BOOLEAN_DIRECTIVES.contains(name)) {
                if (!value.isTrue()) {
                    return Optional.empty();
                }
                parsed.put(name, "");
            } else if (QUALIFIABLE.contains(name)) {
                if (!value.isTrue() && value.type() != StructuredDictionary.Type.STRING) {
                    return Optional.empty();
                }
                parsed.put(name, qualifiedOrNot(name, value.isTrue() ? "" : value.text()));
            } else {
                parsed.put(name, value.type() == StructuredDictionary.Type.BOOLEAN ? "" : value.text());
            }
        }
        return Optional.of(new CacheControl(parsed));
    }

    /**
     * The directives of a {@code Surrogate-Control} field (W3C Edge Architecture Specification
     * 1.0, "Surrogate-Control Header") that apply to the surrogate whose device token is given:
     * Cache-Control-like directives, each of which may end in {@code ;token} to speak to one
     * surrogate only. Directives targeted at another token are left out; untargeted ones apply.
     * {@code max-age=N+M} gives a freshness lifetime of N seconds and M seconds more in which a
     * stale response may stand in for an origin that fails ({@code stale-if-error=M}, unless the
     * field states one itself); {@code no-store-remote} counts as {@code no-store} (an OpenCache
     * instance is a remote surrogate, at the network's edge); {@code content} is ignored (this
     * cache processes no content). Empty when no directive applies to this surrogate or the
     * field is malformed: a name that is not a token, whitespace around {@code =}
     * ({@code max-age =1}), a {@code max-age} that is not {@code N} or {@code N+M}; then
     * {@code Cache-Control} applies, as for an invalid targeted field.
     */
    public static Optional<CacheControl> parseSurrogate(List<String> fieldValues, String deviceToken) {
        if (fieldValues == null || fieldValues.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parsed = new HashMap<>();
        String extraStale = null;
        for (String member : splitOutsideQuotes(String.join(",", fieldValues))) {
            String directive = member.strip();
            if (directive.isEmpty()) {
                continue;
            }
            // The device token follows the last ';' that is not inside a quoted value.
            int semicolon = directive.lastIndexOf(';');
            if (semicolon > directive.lastIndexOf('"')) {
                String target = directive.substring(semicolon + 1).strip();
                directive = directive.substring(0, semicolon).strip();
                if (!target.isEmpty() && !target.equalsIgnoreCase(deviceToken)) {
                    continue;
                }
            }
            int equals = directive.indexOf('=');
            String name = (equals < 0 ? directive : directive.substring(0, equals)).toLowerCase(Locale.ROOT);
            String argument = equals < 0 ? "" : directive.substring(equals + 1);
            if (!ResponseRulesConfig.isToken(name) || (equals >= 0 && (argument.isEmpty() || Character.isWhitespace(argument.charAt(0))))) {
                return Optional.empty();
            }
            switch (name) {
                case "max-age" -> {
                    int plus = argument.indexOf('+');
                    String lifetime = plus < 0 ? argument : argument.substring(0, plus);
                    String extension = plus < 0 ? null : argument.substring(plus + 1);
                    if (!isDigits(lifetime) || (extension != null && !isDigits(extension))) {
                        return Optional.empty();
                    }
                    if (parsed.putIfAbsent(name, lifetime) == null && extension != null) {
                        extraStale = extension;
                    }
                }
                case "no-store", "no-store-remote" -> parsed.putIfAbsent("no-store", "");
                case "content" -> {
                    // Content processing (ESI) is not done here, so its instructions change nothing.
                }
                default -> parsed.putIfAbsent(name, qualifiedOrNot(name, unquote(argument)));
            }
        }
        if (extraStale != null) {
            parsed.putIfAbsent("stale-if-error", extraStale);
        }
        return parsed.isEmpty() ? Optional.empty() : Optional.of(new CacheControl(parsed));
    }

    /** Whether the text is one or more ASCII digits (delta-seconds, RFC 9111 §1.2.2, and other decimal numbers). */
    static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    // A qualified no-cache or private keeps its field names unless one is a rule field.
    private static String qualifiedOrNot(String name, String argument) {
        if (!QUALIFIABLE.contains(name) || argument.isEmpty()) {
            return argument;
        }
        return names(argument).stream().anyMatch(RULE_FIELDS::contains) ? "" : argument;
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
     * Whether {@code no-cache} or {@code private} is present and applies to the whole response:
     * it names no field (RFC 9111 §5.2.2.4, §5.2.2.7), or names one the rules are read from.
     * Allocation-free: a hit asks it of {@code no-cache}.
     */
    boolean unqualified(String name) {
        String value = directives.get(name);
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ',' && c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * The lower-case field names a qualified {@code no-cache} or {@code private} lists, e.g.
     * {@code set-cookie} for {@code private="Set-Cookie"}; empty when it is absent or unqualified.
     */
    Set<String> fieldNames(String name) {
        String value = directives.get(name);
        return value == null ? Set.of() : names(value);
    }

    private static Set<String> names(String list) {
        Set<String> names = new HashSet<>();
        for (String member : list.split(",")) {
            String field = member.strip().toLowerCase(Locale.ROOT);
            if (!field.isEmpty()) {
                names.add(field);
            }
        }
        return names;
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
        if (!isDigits(digits)) {
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
