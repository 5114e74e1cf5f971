package org.opencache.common.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.event.Level;

/**
 * The keys OpenCache knows, by role, and the log lines for the others; the keys and their roles
 * come from {@link ConfigKey}. Any key of either role is known in every file, because one file
 * may configure both roles; a role just ignores the other's keys. Keys of the original OpenCache
 * that no part of this version reads are worth an INFO line, so an operator migrating a file
 * learns they do nothing. Anything else is probably a typo and is worth a WARN line.
 */
final class ConfigKeys {

    static final Set<String> CONTROLLER = keys(key -> key.readBy(Role.CONTROLLER));

    static final Set<String> NODE = keys(key -> key.readBy(Role.NODE));

    /** From the original controller.conf, for its Floodlight REST integration; we speak OpenFlow directly. */
    static final Set<String> LEGACY = keys(ConfigKey::legacy);

    private static final int MAX_TYPO_DISTANCE = 2;

    private ConfigKeys() {
    }

    private static Set<String> keys(Predicate<ConfigKey> which) {
        return Arrays.stream(ConfigKey.values())
                .filter(which)
                .map(ConfigKey::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The keys read when {@code role} is configured. */
    static Set<String> of(Role role) {
        return role == Role.CONTROLLER ? CONTROLLER : NODE;
    }

    /** Logs one line for every key of {@code values} that {@code role} does not read. */
    static void report(Values values, Role role, Notes notes) {
        for (String key : values.keys()) {
            if (of(role).contains(key)) {
                continue;
            }
            String where = values.source() + ": key '" + key + "'";
            if (LEGACY.contains(key)) {
                notes.note(Level.INFO, where + " is from the original OpenCache and is not used");
            } else if (CONTROLLER.contains(key) || NODE.contains(key)) {
                Role other = role == Role.CONTROLLER ? Role.NODE : Role.CONTROLLER;
                notes.note(Level.DEBUG, where + " is for the " + other.noun() + "; a " + role.noun() + " ignores it");
            } else {
                notes.note(Level.WARN, values.source() + ": unknown key '" + key + "' is ignored" + suggestion(key));
            }
        }
    }

    private static String suggestion(String key) {
        return Stream.of(CONTROLLER, NODE, LEGACY)
                .flatMap(Set::stream)
                .filter(known -> distance(known, key) <= MAX_TYPO_DISTANCE)
                .min(Comparator.comparingInt((String known) -> distance(known, key)).thenComparing(known -> known))
                .map(known -> " (did you mean '" + known + "'?)")
                .orElse("");
    }

    /** Levenshtein distance: how many single-character edits turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
