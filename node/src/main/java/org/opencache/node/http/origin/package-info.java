/**
 * The node's side of the conversation with origins: one pooled Jetty {@code HttpClient} shared
 * by all instances ({@code OriginClient}), where a request goes ({@code OriginTarget}), one
 * exchange that streams the response to a listener with back-pressure ({@code OriginExchange}),
 * and the words an operator reads when an origin fails ({@code OriginFailure}).
 *
 * <p>May use Jetty's client and nothing of ours but {@code common}. Used by {@code http.fill}
 * (misses, revalidations, pre-fetches) and {@code http.serve} (requests relayed uncached), and by
 * the node root package, which starts the client with the node's timeouts.
 */
package org.opencache.node.http.origin;
