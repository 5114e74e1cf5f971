package org.opencache.common.expr;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code expr} parameter of the JSON-RPC API: {@code a|b|c}, a single expression, or
 * {@code *} (docs/design.md §4). An absent parameter means {@code *}.
 *
 * <p>Parts are trimmed, duplicates (same canonical form) collapse into the first, and
 * {@code *} must stand alone: {@code *|example.com} is an error rather than a silent "all".
 *
 * @param expressions the distinct expressions in first-seen order; exactly
 *                    {@link Expression#WILDCARD} for all traffic
 */
public record ExpressionList(List<Expression> expressions) {

    private static final ExpressionList ALL = new ExpressionList(List.of(Expression.WILDCARD));

    /** Copies the list and checks it is non-empty, duplicate-free and has no mixed wildcard. */
    public ExpressionList {
        expressions = List.copyOf(expressions);
        if (expressions.isEmpty()) {
            throw new IllegalArgumentException("an expression list is never empty; use all() for '*'");
        }
        Set<Expression> seen = new HashSet<>();
        for (Expression expression : expressions) {
            if (!seen.add(expression)) {
                throw new IllegalArgumentException("duplicate expression " + Parts.quote(expression.canonical()));
            }
            if (expression.isWildcard() && expressions.size() > 1) {
                throw new IllegalArgumentException("'*' cannot be combined with other expressions");
            }
        }
    }

    /** All HTTP traffic, {@code *}; what an absent {@code expr} means. */
    public static ExpressionList all() {
        return ALL;
    }

    /**
     * Parses an {@code expr} parameter.
     *
     * @param text {@code a|b|c}, one expression, {@code *}, or {@code null} for all traffic
     * @throws InvalidExpressionException naming the part and what is wrong with it
     */
    public static ExpressionList parse(String text) throws InvalidExpressionException {
        if (text == null) {
            return ALL;
        }
        List<Expression> parsed = Parts.parseAll(text, "", "empty expression; use '*' for all traffic",
                "traffic", Expression::parsePart, Expression::canonical);
        return new ExpressionList(parsed);
    }

    /** Whether this is {@code *}, all HTTP traffic. */
    public boolean isAll() {
        return expressions.size() == 1 && expressions.get(0).isWildcard();
    }

    /** The canonical forms joined with {@code '|'}; parsing it gives an equal list. */
    public String canonical() {
        return expressions.stream().map(Expression::canonical).collect(Collectors.joining("|"));
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical();
    }

    /**
     * Whether an instance's expression is selected by this list: always for {@code *}, else when
     * the list holds it. This is selection by name, not by coverage: {@code example.com} does not
     * select {@code example.com/videos}.
     *
     * @param canonicalExpr an expression in {@link Expression#canonical()} form, as stored
     */
    public boolean matches(String canonicalExpr) {
        if (isAll()) {
            return true;
        }
        for (Expression expression : expressions) {
            if (expression.canonical().equals(canonicalExpr)) {
                return true;
            }
        }
        return false;
    }
}
