/**
 * The keys of the CURVE-secured node link (docs/design.md §5): the Z85 text form ZeroMQ uses,
 * key pairs made with the JDK's X25519 (the curve CURVE uses), and the key files an operator
 * handles: {@code link.key} (the secret, mode 0600), {@code link.pub} (the public key, to copy to
 * the other side) and the controller's list of authorized node keys, a file like SSH's
 * {@code authorized_keys} or a directory of {@code .pub} files.
 *
 * <p>Here rather than beside the sockets because both roles read the files while their
 * configuration is read ({@code common.config}, so that a bad key file is a configuration error
 * naming its key), and the launcher's {@code keygen} writes them; JeroMQ itself stays in the
 * link packages. Depends on nothing of ours and on no library; used by {@code common.config},
 * the controller's {@code nodes} package, the node's {@code link} package and the launcher.
 */
package org.opencache.common.keys;
