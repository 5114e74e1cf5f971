/**
 * The miss path: looking a request up in the store, collapsing concurrent misses for one key
 * into one flight ({@code CacheFiller}, {@code Collapser}, {@code Landing}), fetching and
 * streaming the response into the store while the recipient receives it ({@code Fill},
 * {@code StoringSink}; a small body's head held until the store has answered, {@code HeldHead}),
 * revalidating stored responses, keeping the store right after unsafe
 * methods and 304s ({@code StoreUpdates}), and filling on the controller's command
 * ({@code Prefetcher} for {@code fetch} and {@code seed}).
 *
 * <p>May use {@code http.rules}, {@code http.origin}, {@code node.store} and Jetty's I/O types.
 * Knows its recipients only through {@code Recipient}. Used by {@code http.serve} (every client
 * request that may be cached) and {@code node.instance} (an instance's pre-fetcher).
 */
package org.opencache.node.http.fill;
