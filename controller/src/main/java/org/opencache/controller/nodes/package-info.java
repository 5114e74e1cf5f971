/**
 * The controller's end of the link to its nodes (docs/design.md §5): the ZeroMQ ROUTER socket on
 * {@code controller_host:notification_port} and the thread that owns it, the sessions of the
 * connected nodes, what the controller does with {@code hello}, {@code keep_alive},
 * {@code goodbye}, {@code stat} and {@code alert} (a message that breaks the protocol's rules is
 * dropped whole, with at most one warning per node and minute), the liveness check against
 * {@code node_timeout}, and the dispatch of commands with their shared {@code command_timeout}.
 * With {@code link_secret_key} the socket is a CURVE server whose ZAP handler admits only the
 * authorized node keys, and a node is known by its authenticated key, never by a name it chose.
 *
 * <p>May use {@code org.opencache.common} (the protocol's messages and codec, configuration,
 * units, the link's keys) and the controller's {@code state} package to record what nodes report; libraries:
 * JeroMQ (here and in the node's link package only) and Jackson. Used by the controller root
 * package, which starts the link, and by the {@code api} package, which sends commands through
 * the commander interface and reports their outcome.
 */
package org.opencache.controller.nodes;
