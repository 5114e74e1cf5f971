/**
 * Everything the controller remembers, kept in MongoDB (docs/design.md §8): the state interface
 * the rest of the controller uses, its MongoDB implementation, the collections and indexes, the
 * mapping between documents and records, the connection that retries in the background, the
 * embedded MongoDB-compatible server, and the expiry of old statistics.
 *
 * <p>May use {@code org.opencache.common} (configuration and the protocol's instance states and
 * counters); libraries: the MongoDB Java driver and mongo-java-server with its H2 backend, both
 * only in this package. Used by the controller root package (opening the database, starting
 * expiry), by {@code nodes} (recording what nodes report) and by {@code api} (answering
 * {@code stat} and {@code nodes}, and forgetting a node with {@code forget}); they see records and "database unavailable", never a driver
 * type.
 */
package org.opencache.controller.state;
