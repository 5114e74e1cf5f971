/**
 * The HTTP cache of an instance, split by the story of a request (docs/design.md §6; the RFC
 * detail is in docs/http-caching.md). Nothing lives in this package itself; its four
 * sub-packages form layers, each using only those below it:
 * <pre>
 *   serve   the Jetty-facing side: CacheHandler sorts a client's request, ClientResponder writes
 *           the answer (ranges, conditionals, sendfile through FileSendingConnector), PassThrough
 *           relays what is not cached
 *     |
 *   fill    the miss path: CacheFiller looks up and collapses, Fill fetches and streams into the
 *           store (StoringSink), Prefetcher fills on command, StoreUpdates invalidates and freshens
 *     |
 *   origin  the node's HTTP client towards origins: OriginClient, OriginExchange, OriginTarget,
 *           and the resolver that checks each origin address against the instance's OriginAccess
 *     |
 *   rules   pure RFC 9111/9110 rules: CachePolicy, Freshness, CacheControl, Preconditions,
 *           ByteRanges, Variants, CacheKeys, SelectingFields, Purges, HeaderFields, CacheStatus,
 *           OriginAccess (Jetty's field types, no I/O)
 * </pre>
 * All four may use {@code node.store} (objects and their metadata) and {@code node.stats}
 * (the instance's counters); none knows instances, the link or the switch. Used by
 * {@code node.instance} (an instance's pre-fetcher) and the node root package, which builds a
 * {@code CacheHandler} per instance and the origin client and connector they share.
 *
 * <h2>A hit</h2>
 * <pre>
 * client ─GET─▶ CacheHandler.handle ─▶ CacheFiller.lookup ─▶ store: USABLE (CachePolicy.reuse)
 *        ◀───── ClientResponder.serveStored: head from the stored fields, body from memory,
 *               or with sendfile(2) from its body file (FileSendingEndPoint)
 * </pre>
 *
 * <h2>A miss</h2>
 * <pre>
 * client ─GET─▶ CacheHandler.handle ─▶ CacheFiller.lookup: ABSENT or VALIDATE
 *               CacheFiller.serve ─▶ Collapser: lead the flight for the key, or follow it
 *   leader:     Fill ─▶ OriginExchange.send ─▶ origin
 *               head: CachePolicy.mayStore? ─▶ a store writer, and StoringSink tees every chunk
 *                     to the writer and to the recipient (ClientResponder) as it arrives; a
 *                     small body (HeldHead) reaches the recipient, head and all, after the commit
 *               end:  commit ─▶ land the flight
 *   followers:  woken by the landing: serve the stored object (a hit), the unkept response
 *               the leader passed on, or, failing both, fetch on their own
 * </pre>
 *
 * <h2>Terms</h2>
 * <dl>
 *   <dt>flight</dt><dd>the one origin fetch that concurrent requests for one key share; its
 *       first request is the leader, the others are followers ({@code fill.Collapser}).</dd>
 *   <dt>fill</dt><dd>one GET to the origin on behalf of the cache: a miss that may store the
 *       response as it streams, or a revalidation that a 304 freshens ({@code fill.Fill}); also
 *       a relayed POST whose response may be stored for later GETs (RFC 9110 §9.3.3).</dd>
 *   <dt>landing</dt><dd>how a fill ended, told to its followers as soon as it is known: stored,
 *       or not kept (with the response from memory when the store refused a complete one).</dd>
 *   <dt>recipient</dt><dd>who receives a lookup's or a fill's outcome: a client's response, or a
 *       pre-fetch that only wants the object stored ({@code fill.Recipient}).</dd>
 *   <dt>unkept</dt><dd>a complete, storable response that the store did not keep; followers are
 *       served it instead of each asking the origin.</dd>
 *   <dt>variant</dt><dd>one of the responses stored for a URL whose response has {@code Vary};
 *       each has its own key, found through the primary key ({@code rules.Variants}).</dd>
 * </dl>
 */
package org.opencache.node.http;
