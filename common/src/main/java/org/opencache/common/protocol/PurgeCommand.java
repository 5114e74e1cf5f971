package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.ResolvedUrlList;

/**
 * Drop stored objects from the selected instances: every variant of each URL, or everything
 * whose URL starts with one of the prefixes; answered with the number of objects dropped.
 *
 * <pre>{"expr": "*", "url": "http://example.com/a.mp4|http://example.com/b.mp4"}
 * {"expr": "example.com", "prefix": "http://example.com/videos/"}</pre>
 *
 * @param expressions the instances to purge in ({@code *}: all the node has)
 * @param urls        the URLs to drop with their variants, or null
 * @param prefixes    the URL prefixes to drop everything under, or null; exactly one of the two is given
 */
public record PurgeCommand(ExpressionList expressions, ResolvedUrlList urls, ResolvedUrlList prefixes)
        implements Command {

    /** Requires the expressions and exactly one of URLs and prefixes. */
    public PurgeCommand {
        Objects.requireNonNull(expressions, "expressions");
        if ((urls == null) == (prefixes == null)) {
            throw new IllegalArgumentException("a purge takes URLs or prefixes, exactly one of them");
        }
    }

    @Override
    public String method() {
        return Methods.PURGE;
    }
}
