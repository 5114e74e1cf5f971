package org.opencache.common.keys;

/**
 * The key pair one side of the node link uses.
 *
 * @param publicKey what the other side must know (the node's is authorized on the controller; the
 *                  controller's is each node's {@code controller_public_key})
 * @param secretKey never leaves the host; {@link #toString()} does not show it
 */
public record LinkKeyPair(CurveKey publicKey, CurveKey secretKey) {
    @Override
    public String toString() {
        return "LinkKeyPair[publicKey=" + publicKey + ", secretKey=(hidden)]";
    }
}
