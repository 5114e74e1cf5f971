package org.opencache.common.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Z85Test {
    /** The test vector of ZeroMQ RFC 32. */
    private static final byte[] HELLO = {(byte) 0x86, 0x4F, (byte) 0xD2, 0x6F, (byte) 0xB5, 0x59, (byte) 0xF7, 0x5B};

    @Test
    void encodesAndDecodesTheRfcVector() {
        assertEquals("HelloWorld", Z85.encode(HELLO));
        assertArrayEquals(HELLO, Z85.decode("HelloWorld"));
    }

    @Test
    void roundTripsRandomKeys() {
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String text = Z85.encode(key);
            assertEquals(40, text.length());
            assertArrayEquals(key, Z85.decode(text));
        }
    }

    @Test
    void refusesWhatIsNotZ85() {
        assertEquals("'~' is not a Z85 character",
                assertThrows(IllegalArgumentException.class, () -> Z85.decode("Hello~orld")).getMessage());
        assertEquals("'#####' is out of range for Z85",
                assertThrows(IllegalArgumentException.class, () -> Z85.decode("#####")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Z85.decode("Hell"));
        assertThrows(IllegalArgumentException.class, () -> Z85.encode(new byte[3]));
    }
}
