package org.opencache.common.expr;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code node-id} parameter of the JSON-RPC API: {@code *}, one node id, or {@code 1|2|3}
 * (docs/design.md §4). Node ids are the small non-negative integers the controller hands out; an
 * absent parameter means every node.
 *
 * <p>"All" is a component of its own rather than an empty id set, so that a caller who filters
 * ids down to nothing gets an error from the constructor instead of silently selecting every node.
 *
 * @param wildcard whether every node is selected ({@code *}); then {@code ids} is empty
 * @param ids      the selected ids in ascending order, so that equal selectors have equal
 *                 {@link #canonical()} forms; empty only for {@code *}
 */
public record NodeSelector(boolean wildcard, Set<Integer> ids) {

    private static final NodeSelector ALL = new NodeSelector(true, Set.of());

    /** Copies the ids into a sorted immutable set and checks they agree with {@code wildcard}. */
    public NodeSelector {
        Objects.requireNonNull(ids, "ids");
        for (Integer id : ids) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException("node id " + id + " is not a non-negative integer");
            }
        }
        ids = Collections.unmodifiableSortedSet(new TreeSet<>(ids));
        if (wildcard != ids.isEmpty()) {
            throw new IllegalArgumentException(wildcard
                    ? "the wildcard selector lists no ids"
                    : "a selector of specific nodes needs at least one id");
        }
    }

    /** Every node, {@code *}; what an absent {@code node-id} means. */
    public static NodeSelector all() {
        return ALL;
    }

    /**
     * Parses a {@code node-id} parameter.
     *
     * @param text {@code *}, {@code 3}, {@code 1|2|3}, or {@code null} for every node
     * @throws InvalidExpressionException naming the part and what is wrong with it
     */
    public static NodeSelector parse(String text) throws InvalidExpressionException {
        if (text == null || Parts.strip(text).equals(Parts.ALL)) {
            return ALL;
        }
        List<Integer> parsed = Parts.parseAll(text, "node-id ", "empty; use '*' for all nodes", "nodes",
                NodeSelector::parseId, id -> id);
        return new NodeSelector(false, new TreeSet<>(parsed));
    }

    private static Integer parseId(String part) throws InvalidExpressionException {
        if (part.startsWith("-") && HostSyntax.isAsciiDigits(part.substring(1))) {
            throw new InvalidExpressionException("node ids are never negative");
        }
        if (!HostSyntax.isAsciiDigits(part)) {
            throw new InvalidExpressionException("not a node id (a non-negative integer)");
        }
        String significant = HostSyntax.stripLeadingZeros(part);
        long id = significant.length() > 10 ? Long.MAX_VALUE : Long.parseLong(significant);
        if (id > Integer.MAX_VALUE) {
            throw new InvalidExpressionException("node id is larger than " + Integer.MAX_VALUE);
        }
        return (int) id;
    }

    /** Whether this is {@code *}, every node. */
    public boolean isAll() {
        return wildcard;
    }

    /** Whether the node with this id is selected. */
    public boolean matches(int nodeId) {
        return wildcard || ids.contains(nodeId);
    }

    /** {@code *}, or the ids in ascending order joined with {@code '|'}; parsing it gives an equal
     * selector. */
    public String canonical() {
        return wildcard ? Parts.ALL : ids.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical();
    }
}
