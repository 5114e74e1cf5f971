/**
 * The node's access log (docs/design.md §6): one line per request of every instance port, in
 * nginx's combined format or as JSON, written by one thread from a bounded queue so that a slow
 * disk costs lines (counted), never a response's time.
 */
package org.opencache.node.accesslog;
