/**
 * The controller process as one unit: {@code Controller} starts its parts in order (the database
 * connection with the embedded server when none is configured, the statistics expiry, the link to
 * the nodes, the JSON-RPC endpoint) and stops them in reverse order (docs/design.md §1, §2).
 *
 * <p>May use the controller's own packages ({@code api}, {@code nodes}, {@code state}), the
 * configuration of {@code org.opencache.common.config}, and SLF4J for logging; no other library:
 * the work is done in the packages it starts. Used by the launcher ({@code org.opencache.dist})
 * and by tests that run a whole controller.
 */
package org.opencache.controller;
