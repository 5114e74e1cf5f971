/**
 * The node process: {@code Node} starts its parts in order (store and purge, origin client,
 * instances, status endpoint, statistics, controller link) and stops them in reverse;
 * {@code NodeCommands} carries out the controller's commands, one handler per command record.
 * This is the only package that wires the others together, so it may use every node package;
 * nothing in the node uses it. Started by the launcher in {@code dist} (docs/design.md §2).
 */
package org.opencache.node;
