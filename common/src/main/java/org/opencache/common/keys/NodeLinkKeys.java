package org.opencache.common.keys;

/**
 * A node's CURVE settings: its key pair ({@code link_secret_key}) and the controller's public key
 * ({@code controller_public_key}), which the node checks at every handshake.
 *
 * @param own        the node's key pair; its public key is the node's identity on the controller
 * @param controller the controller's public key
 */
public record NodeLinkKeys(LinkKeyPair own, CurveKey controller) {
}
