package org.opencache.common.expr;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code expr} parameter of {@code fetch} and {@code seed}: one {@link ResolvedUrl} or a
 * {@code '|'}-list of them (docs/design.md §4). Unlike other methods' {@code expr}, there is no
 * {@code *}: pre-caching needs to know exactly which objects to request.
 *
 * <p>Parts are trimmed and duplicates (same canonical form) collapse into the first, so a
 * {@code seed} does not store one URL twice.
 *
 * @param urls the distinct URLs in first-seen order, never empty
 */
public record ResolvedUrlList(List<ResolvedUrl> urls) {

    /** Why {@code *} or an absent {@code expr} is refused. */
    static final String NOT_ALL = "fetch needs fully resolved URLs, not '*'";

    /** Copies the list and checks it is non-empty and duplicate-free. */
    public ResolvedUrlList {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a URL list is never empty");
        }
        Set<ResolvedUrl> seen = new HashSet<>();
        for (ResolvedUrl url : urls) {
            if (!seen.add(url)) {
                throw new IllegalArgumentException("duplicate URL " + Parts.quote(url.canonical()));
            }
        }
    }

    /**
     * Parses the {@code expr} of {@code fetch} or {@code seed}.
     *
     * @param text {@code http://a/x|b/y} (the scheme is optional) or a single URL; {@code null} (which elsewhere
     *             means {@code *}) is refused
     * @throws InvalidExpressionException naming the part and what is wrong with it
     */
    public static ResolvedUrlList parse(String text) throws InvalidExpressionException {
        if (text == null) {
            throw new InvalidExpressionException("expr is missing: " + NOT_ALL);
        }
        return new ResolvedUrlList(Parts.parseAll(text, "", "no URLs given; " + NOT_ALL, null,
                ResolvedUrl::parsePart, ResolvedUrl::canonical));
    }

    /** The canonical forms joined with {@code '|'}; parsing it gives an equal list. */
    public String canonical() {
        return urls.stream().map(ResolvedUrl::canonical).collect(Collectors.joining("|"));
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical();
    }
}
