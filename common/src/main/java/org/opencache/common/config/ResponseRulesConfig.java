package org.opencache.common.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a node's instances read two kinds of response fields (docs/http-caching.md), targeted cache
 * control fields (RFC 9213; {@code targeted_cache_control}, {@code targeted_cache_control_forward})
 * and {@code Set-Cookie} ({@code set_cookie}), and whether requests with credentials use the
 * cache ({@code cache_authorized}).
 *
 * @param targetedFields  the target list of RFC 9213 §2.1, most applicable first: the first of
 *                        these fields a response carries with a valid value replaces its
 *                        {@code Cache-Control} and {@code Expires} for this cache; empty: none
 * @param forwardTargeted whether the fields of the target list are passed on to clients
 * @param setCookie       what becomes of a response that carries {@code Set-Cookie}
 * @param cacheAuthorized whether requests with {@code Authorization} use the cache as RFC 9111
 *                        §3.5 allows, or are relayed uncached
 */
public record ResponseRulesConfig(List<String> targetedFields, boolean forwardTargeted, SetCookie setCookie,
        boolean cacheAuthorized) {

    /** Copies the list and checks that every part is given. */
    public ResponseRulesConfig {
        targetedFields = List.copyOf(targetedFields);
        Objects.requireNonNull(setCookie, "setCookie");
    }

    /** The defaults of the four keys, as {@link ConfigKey} writes them. */
    public static ResponseRulesConfig defaults() {
        return new ResponseRulesConfig(fieldNames(ConfigKey.TARGETED_CACHE_CONTROL.defaultValue()),
                Boolean.parseBoolean(ConfigKey.TARGETED_CACHE_CONTROL_FORWARD.defaultValue()),
                SetCookie.of(ConfigKey.SET_COOKIE.defaultValue()),
                Boolean.parseBoolean(ConfigKey.CACHE_AUTHORIZED.defaultValue()));
    }

    /** These rules with another {@code set_cookie}. */
    public ResponseRulesConfig withSetCookie(SetCookie mode) {
        return new ResponseRulesConfig(targetedFields, forwardTargeted, mode, cacheAuthorized);
    }

    /** These rules with another target list and forwarding choice. */
    public ResponseRulesConfig withTargeted(List<String> fields, boolean forward) {
        return new ResponseRulesConfig(fields, forward, setCookie, cacheAuthorized);
    }

    /** These rules with another {@code cache_authorized}. */
    public ResponseRulesConfig withCacheAuthorized(boolean use) {
        return new ResponseRulesConfig(targetedFields, forwardTargeted, setCookie, use);
    }

    /**
     * A comma-separated list of field names ({@code OpenCache-Cache-Control, CDN-Cache-Control}),
     * in order; empty for none.
     *
     * @throws IllegalArgumentException naming the first name that is not an HTTP token (RFC 9110
     *                                  §5.1), is {@code Cache-Control} itself, or repeats one
     */
    public static List<String> fieldNames(String value) {
        List<String> names = new ArrayList<>();
        if (value.isBlank()) {
            return names;
        }
        Set<String> seen = new HashSet<>();
        for (String part : value.split(",", -1)) {
            String name = part.strip();
            if (!isToken(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a field name (letters, digits, - and"
                        + " the other token characters of RFC 9110 §5.6.2, comma-separated)");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cache-control")) {
                throw new IllegalArgumentException("Cache-Control is not a targeted field: it is what the cache"
                        + " falls back to when none of the listed fields is present");
            }
            if (!seen.add(lower)) {
                throw new IllegalArgumentException(name + " is listed twice");
            }
            names.add(name);
        }
        return names;
    }

    /** Whether the text is an HTTP token (RFC 9110 §5.6.2: 1*tchar), as field names and directive names are. */
    public static boolean isToken(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    /** What a cache does with a response that carries {@code Set-Cookie} ({@code set_cookie}). */
    public enum SetCookie {
        /**
         * Store and reuse it with its {@code Set-Cookie} like any other field, as RFC 9111 §3 and
         * §7.3 allow (an origin marks per-user responses {@code private}): every client gets the cookie.
         */
        STORE,
        /**
         * Store it only when the origin says it is meant for shared caches ({@code public},
         * {@code s-maxage} or a targeted field), and then without its {@code Set-Cookie}.
         */
        STRIP,
        /** Never store it: it passes to the client that asked, as most proxies do by default. */
        PASS;

        /**
         * The mode a value names, in any case.
         *
         * @throws IllegalArgumentException when it names none
         */
        public static SetCookie of(String value) {
            for (SetCookie mode : values()) {
                if (mode.name().equalsIgnoreCase(value.strip())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not a set_cookie mode (use store, strip or pass)");
        }
    }
}
