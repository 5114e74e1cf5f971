package org.opencache.common.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do (docs/design.md §4): {@code read} calls the read-only API methods and reads
 * a node's status and metrics, {@code admin} does everything {@code read} does and more.
 */
public enum TokenRole {
    /** Read-only methods ({@code stat}, {@code nodes}) and a node's {@code /status} and {@code /metrics}. */
    READ("read"),
    /** Every method. */
    ADMIN("admin");

    private final String word;

    TokenRole(String word) {
        this.word = word;
    }

    /** {@return the role as the token file and error messages write it} */
    public String word() {
        return word;
    }

    /** {@return the role written as {@code word} (case-insensitive), if there is one} */
    public static Optional<TokenRole> of(String word) {
        return Arrays.stream(values()).filter(r -> r.word.equals(word.toLowerCase(Locale.ROOT))).findFirst();
    }
}
