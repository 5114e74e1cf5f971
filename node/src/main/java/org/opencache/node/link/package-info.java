/**
 * The node's end of the link to the controller (docs/design.md §5): the ZeroMQ DEALER (identified
 * by the node's uuid on a plain link, a CURVE client with the node's key pair and the
 * controller's public key with {@code link_secret_key}), the thread that owns it, {@code hello} with the node's instances
 * and its retries, {@code keep_alive} and the detection of a lost controller, {@code goodbye},
 * statistics and alerts sent as notifications, the worker that carries out the controller's
 * commands one at a time, and the node's persistent identity in {@code cache_path/node.uuid}.
 *
 * <p>May use {@code org.opencache.common} (the protocol's messages, codec and command records,
 * configuration, units, back-off); libraries: JeroMQ (here and in the controller's nodes package
 * only) and Jackson. It knows nothing of instances, HTTP or storage: the node hands it a supplier
 * of instance states and a command handler. Used by the node root package, which starts the link
 * and implements that handler.
 */
package org.opencache.node.link;
