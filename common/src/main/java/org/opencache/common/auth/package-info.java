/**
 * Who may use the control plane (docs/design.md §4 and §6): the tokens of
 * {@code api_tokens_file} ({@code NAME ROLE SECRET} per line, roles {@code read} and
 * {@code admin}) with constant-time lookup of a bearer secret and verification of an
 * {@code OpenCache-HMAC} signature, the timestamp and replay checks of signed requests, and the
 * rate-limited log of refusals. Shared by the controller's API and the node's status endpoint,
 * which do the HTTP part themselves.
 *
 * <p>Plain Java (the JDK's MessageDigest and Mac) and SLF4J; uses nothing else of ours. Used by
 * {@code common.config} (which reads the token file with the configuration, so a bad file is a
 * configuration error), {@code controller.api} and {@code node.status}.
 */
package org.opencache.common.auth;
