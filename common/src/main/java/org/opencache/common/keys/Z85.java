package org.opencache.common.keys;

import java.util.Arrays;

/**
 * ZeroMQ's Z85 encoding (ZeroMQ RFC 32): four bytes become five printable characters, so a 32-byte
 * CURVE key is 40 characters. Our own, because JeroMQ's codec may be used only in the link
 * packages and the key files are read with the configuration.
 */
public final class Z85 {
    private static final String ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final int[] VALUE = new int[128];

    static {
        Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUE[ALPHABET.charAt(i)] = i;
        }
    }

    private Z85() {
    }

    /**
     * {@return {@code data} in Z85}
     *
     * @throws IllegalArgumentException when the length is not a multiple of four
     */
    public static String encode(byte[] data) {
        if (data.length % 4 != 0) {
            throw new IllegalArgumentException("Z85 encodes a multiple of 4 bytes, not " + data.length);
        }
        StringBuilder text = new StringBuilder(data.length / 4 * 5);
        for (int i = 0; i < data.length; i += 4) {
            long value = ((data[i] & 0xffL) << 24) | ((data[i + 1] & 0xffL) << 16) | ((data[i + 2] & 0xffL) << 8)
                    | (data[i + 3] & 0xffL);
            char[] group = new char[5];
            for (int j = 4; j >= 0; j--) {
                group[j] = ALPHABET.charAt((int) (value % 85));
                value /= 85;
            }
            text.append(group);
        }
        return text.toString();
    }

    /**
     * {@return the bytes {@code text} encodes}
     *
     * @throws IllegalArgumentException when the length is not a multiple of five, a character is
     *                                  not in the Z85 alphabet, or a group is out of range
     */
    public static byte[] decode(String text) {
        if (text.length() % 5 != 0) {
            throw new IllegalArgumentException("Z85 text has a multiple of 5 characters, not " + text.length());
        }
        byte[] data = new byte[text.length() / 5 * 4];
        for (int i = 0; i < text.length(); i += 5) {
            long value = 0;
            for (int j = 0; j < 5; j++) {
                char c = text.charAt(i + j);
                int digit = c < 128 ? VALUE[c] : -1;
                if (digit < 0) {
                    throw new IllegalArgumentException("'" + c + "' is not a Z85 character");
                }
                value = value * 85 + digit;
            }
            if (value > 0xffff_ffffL) {
                throw new IllegalArgumentException("'" + text.substring(i, i + 5) + "' is out of range for Z85");
            }
            int at = i / 5 * 4;
            data[at] = (byte) (value >>> 24);
            data[at + 1] = (byte) (value >>> 16);
            data[at + 2] = (byte) (value >>> 8);
            data[at + 3] = (byte) value;
        }
        return data;
    }
}
