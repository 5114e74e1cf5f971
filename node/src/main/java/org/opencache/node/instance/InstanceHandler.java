package org.opencache.node.instance;

import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.opencache.node.http.fill.Prefetcher;

/**
 * What serves one instance while its port is open: the HTTP handler of its port, and the
 * pre-fetcher that {@code fetch} and {@code seed} use. The instance keeps the pre-fetcher while
 * it is paused, so an operator can warm a paused instance before resuming it.
 *
 * @param handler    serves the instance's port
 * @param prefetcher fills the instance's store on command; empty for a handler that caches nothing
 */
public record InstanceHandler(Handler handler, Optional<Prefetcher> prefetcher) {
}
