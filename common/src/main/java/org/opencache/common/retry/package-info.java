/**
 * Retrying a lost peer: {@code Backoff}, doubling delays with jitter, used by the node link, the
 * switch session and the controller's database connection. Plain Java, no libraries.
 */
package org.opencache.common.retry;
