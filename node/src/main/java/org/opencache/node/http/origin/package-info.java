/**
 * The node's side of the conversation with origins: one pooled Jetty {@code HttpClient} shared
 * by all instances ({@code OriginClient}), where a request goes ({@code OriginTarget}), one
 * exchange that streams the response to a listener with back-pressure ({@code OriginExchange}),
 * the words an operator reads when an origin fails ({@code OriginFailure}), what the origin's
 * wire carries beyond Jetty's defaults (every 1xx relayed: {@code InterimResponses}; transfer
 * codings undone: {@code TransferDecoding}), and the check of
 * every address before a connection opens: the resolver ({@code CheckingResolver}) applies the
 * target's {@code rules.OriginAccess} with the node's own addresses ({@code NodeAddresses}) and
 * fails a refused origin with {@code OriginRefusedException} (a 403).
 *
 * <p>May use Jetty's client, {@code http.rules} and nothing else of ours but {@code common}. Used
 * by {@code http.fill} (misses, revalidations, pre-fetches) and {@code http.serve} (requests
 * relayed uncached), and by the node root package, which starts the client with the node's
 * timeouts and addresses.
 */
package org.opencache.node.http.origin;
