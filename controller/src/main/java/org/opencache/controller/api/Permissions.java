package org.opencache.controller.api;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.opencache.common.auth.TokenRole;
import org.opencache.common.expr.ClientText;

/**
 * Which methods a role may call (docs/design.md §4, the permission table): {@code read} only
 * the read-only methods listed here, {@code admin} every method. A method added later needs
 * {@code admin} unless it is added to {@link #READ_ONLY}.
 */
final class Permissions {
    /** Methods that change nothing. */
    static final Set<String> READ_ONLY = Set.of("stat", "nodes", "alerts", "history");

    private Permissions() {
    }

    /** {@return whether {@code role} may call {@code method}} */
    static boolean allows(TokenRole role, String method) {
        return role == TokenRole.ADMIN || READ_ONLY.contains(method);
    }

    /** {@return why {@code role} may not make these calls, naming the first method it may not call; empty when it may} */
    static Optional<String> refusal(TokenRole role, Collection<String> methods) {
        return methods.stream().filter(m -> !allows(role, m)).findFirst()
                .map(m -> "role '" + role.word() + "' may not call '" + ClientText.echo(m) + "'; it may call: "
                        + String.join(", ", new TreeSet<>(READ_ONLY)) + " (every other method needs role 'admin')");
    }
}
