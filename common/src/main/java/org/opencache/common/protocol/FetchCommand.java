package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ResolvedUrlList;

/**
 * Pre-cache URLs, each through the instance whose expression covers it; answered {@code true}
 * once all are stored.
 *
 * <pre>{"expr": "http://example.com/a.mp4|http://example.com/b.mp4"}</pre>
 *
 * @param urls the URLs to fetch
 */
public record FetchCommand(ResolvedUrlList urls) implements Command {

    /** Requires the URLs. */
    public FetchCommand {
        Objects.requireNonNull(urls, "urls");
    }

    @Override
    public String method() {
        return Methods.FETCH;
    }
}
