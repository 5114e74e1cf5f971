package org.opencache.common.protocol;

import java.util.Objects;
import org.opencache.common.expr.ResolvedUrlList;

/**
 * Store URLs of one instance as one object: the first is fetched, the others share its body;
 * answered {@code true}.
 *
 * <pre>{"expr": "http://example.com/a.mp4|http://mirror.example.com/a.mp4"}</pre>
 *
 * @param urls the URLs that name the same content
 */
public record SeedCommand(ResolvedUrlList urls) implements Command {

    /** Requires the URLs. */
    public SeedCommand {
        Objects.requireNonNull(urls, "urls");
    }

    @Override
    public String method() {
        return Methods.SEED;
    }
}
