package org.opencache.node.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed-size name of a {@link StoreKey} in the index and on disk: the first 16 bytes of the
 * SHA-256 of its instance and key. A URL of any length costs the index 16 bytes; the full key is
 * kept in the record's header and compared on every disk hit, so a collision can only make two
 * keys evict each other, never serve one for the other.
 *
 * @param hi the first 8 bytes
 * @param lo the next 8 bytes
 */
record StoreDigest(long hi, long lo) {
    private static final MessageDigest SHA_256 = sha256();

    /** The digest of {@code key}. */
    static StoreDigest of(StoreKey key) {
        try {
            // A clone skips the provider look-up of getInstance, which cost more than the hash (JFR).
            MessageDigest sha = (MessageDigest) SHA_256.clone();
            sha.update(key.instance().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key.key().getBytes(StandardCharsets.UTF_8));
            ByteBuffer hash = ByteBuffer.wrap(sha.digest());
            return new StoreDigest(hash.getLong(), hash.getLong());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** 64 well-mixed bits, for the frequency sketch. */
    long hash64() {
        return hi ^ Long.rotateLeft(lo, 31);
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
