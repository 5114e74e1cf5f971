package org.opencache.common.keys;

/**
 * One 32-byte CURVE key (public or secret) in its Z85 text form, 40 characters.
 *
 * @param z85 the key as ZeroMQ and the key files write it
 */
public record CurveKey(String z85) {
    /** Bytes of a CURVE key. */
    public static final int BYTES = 32;
    /** Characters of a CURVE key in Z85. */
    public static final int Z85_LENGTH = 40;

    /**
     * @throws IllegalArgumentException when {@code z85} is not 40 characters of valid Z85
     */
    public CurveKey {
        if (z85.length() != Z85_LENGTH) {
            throw new IllegalArgumentException("'" + shorten(z85) + "' is not a CURVE key (40 characters of Z85, "
                    + "as opencache keygen writes it)");
        }
        Z85.decode(z85);
    }

    /** {@return the key whose bytes are {@code bytes}} */
    public static CurveKey of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a CURVE key has 32 bytes, not " + bytes.length);
        }
        return new CurveKey(Z85.encode(bytes));
    }

    /** {@return the key's 32 bytes} */
    public byte[] bytes() {
        return Z85.decode(z85);
    }

    private static String shorten(String text) {
        return text.length() > 48 ? text.substring(0, 48) + "…" : text;
    }

    /** The Z85 text: for a public key that is what logs and files show. */
    @Override
    public String toString() {
        return z85;
    }
}
