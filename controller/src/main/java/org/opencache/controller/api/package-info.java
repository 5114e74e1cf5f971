/**
 * The controller's JSON-RPC 2.0 API over HTTP (docs/design.md §4): the Jetty endpoint on
 * {@code controller_host:controller_port}, the checks of the request envelope and parameters, the
 * methods ({@code start}, {@code stop}, {@code pause}, {@code fetch}, {@code seed}, {@code purge},
 * {@code refresh}, {@code stat}, {@code nodes}, {@code forget}), the aggregation of {@code stat}
 * (sums saturate rather than overflow), and the one place where failures become JSON-RPC error
 * objects.
 *
 * <p>May use {@code org.opencache.common} (expressions and node selections, the shared JSON
 * mapper, the protocol's error codes and command records), the controller's {@code nodes} package
 * (to send commands, through its commander interface) and {@code state} package (to read nodes,
 * instances and statistics, and to forget nodes); libraries: Jetty server, jsonrpc4j and Jackson. It never touches the
 * MongoDB driver or JeroMQ itself. Used by the controller root package, which starts the endpoint.
 */
package org.opencache.controller.api;
