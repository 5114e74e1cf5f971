/**
 * The node's own HTTP endpoint on {@code node_admin_host:node_port} (docs/design.md §6), open or,
 * with {@code status_tokens}, for bearer tokens of {@code api_tokens_file} only:
 * {@code GET /status}, a JSON summary of the node, its instances and its link to the controller,
 * and {@code GET /metrics}, in Prometheus text the node's registry: every instance's meters, the
 * store's tiers, the link and the JVM.
 *
 * <p>Reads the node only through its status-source interface, which the node root package
 * implements. May use {@code org.opencache.common} (the shared JSON mapper, instance statuses, the
 * tokens and refusal log of {@code common.auth}),
 * the node's {@code store} package (object counts and sizes) and {@code stats} package (instance
 * views and counters); libraries: Jetty server and Micrometer with its Prometheus registry. Used
 * by the node root package, which starts the endpoint.
 */
package org.opencache.node.status;
