/**
 * TLS material of the controller's API (docs/design.md §3): PEM certificate chains and PKCS#8
 * private keys read with the JDK alone, checked to belong together, and handed to the HTTP
 * server as in-memory key and trust stores.
 *
 * <p>Plain Java ({@code java.security}); uses nothing else of ours. Used by {@code common.config},
 * which reads the files with the configuration so that a bad file is a configuration error, and
 * by {@code controller.api}, which gives the stores to Jetty.
 */
package org.opencache.common.tls;
