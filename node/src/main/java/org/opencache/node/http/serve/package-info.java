/**
 * The Jetty-facing side of an instance: the handler that sorts each client request into a hit,
 * a miss, a relay or a refusal ({@code CacheHandler}), the writer of every answer to the client
 * with its {@code Cache-Status}, {@code Age}, conditionals and ranges ({@code ClientResponder},
 * {@code PartialContent}), the relay of requests that are not cached ({@code PassThrough}), and
 * the instance port's connector, whose end points send large stored bodies with
 * {@code sendfile(2)} ({@code FileSendingConnector}, {@code FileSendingEndPoint}).
 *
 * <p>May use the other {@code http} packages, {@code node.store}, {@code node.stats} (it counts
 * every response once) and Jetty's server. Used by the node root package, which makes one
 * {@code CacheHandler} per instance and gives {@code node.instance} the connector.
 */
package org.opencache.node.http.serve;
