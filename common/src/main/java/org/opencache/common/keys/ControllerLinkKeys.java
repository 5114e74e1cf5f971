package org.opencache.common.keys;

import java.util.Set;

/**
 * The controller's CURVE settings: its key pair ({@code link_secret_key}) and the node keys it
 * accepts ({@code link_authorized_keys}).
 *
 * @param own        the controller's key pair
 * @param authorized the public keys of the nodes allowed to connect; every other key is refused
 *                   at the handshake
 */
public record ControllerLinkKeys(LinkKeyPair own, Set<CurveKey> authorized) {
    /** Copies {@code authorized}. */
    public ControllerLinkKeys {
        authorized = Set.copyOf(authorized);
    }
}
