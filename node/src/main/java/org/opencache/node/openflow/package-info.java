/**
 * Transparent redirection through an OpenFlow 1.3 switch (docs/design.md §7): the session with
 * the switch (handshake, echoes, reconnection and reconcile), the hands-off, request-in and
 * response-out rules of each instance with their priorities, cookies and leases, their encoding
 * as flow-mods, barrier confirmation with switch errors mapped to rules, the lease refresh, and
 * the iptables interception that completes the {@code *} instance on the node host.
 *
 * <p>May use {@code org.opencache.common} (expressions, back-off) and the node's {@code instance}
 * package for the redirector contract it implements; libraries: openflowj (only in this package)
 * and the Netty buffers openflowj reads and writes. Bytes travel over plain Java sockets. Used by
 * the node root package, which creates the redirect service when {@code openflow_switch} is set
 * and hands it to the instances as their redirector.
 */
package org.opencache.node.openflow;
