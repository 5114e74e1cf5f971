package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '=', value = {
            "0B = 0",
            "0 = 0",
            "512 = 512",
            "9663676416 = 9663676416",
            "1B = 1",
            "512KB = 524288",
            "1K = 1024",
            "1KiB = 1024",
            "10MB = 10485760",
            "10MiB = 10485760",
            "1GB = 1073741824",
            "9GB = 9663676416",
            "1GiB = 1073741824",
            "1TB = 1099511627776",
            "1TiB = 1099511627776",
            "1PB = 1125899906842624",
            "7EB = 8070450532247928832",
            "1.5KB = 1536",
            "0.1KB = 102",
            "10mb = 10485760",
            "10Mb = 10485760",
            "1gib = 1073741824",
            "'10 MB' = 10485760",
            "'  1GB  ' = 1073741824",
            "9223372036854775807 = 9223372036854775807",
    })
    void parsesSizes(String text, long bytes) {
        assertEquals(bytes, Units.parseBytes(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "MB", "ten", "10 M B", "1,5GB", "1e3", "0x10", "1.5", "1.5B", "10.MB", ".5GB", "+1GB"})
    void rejectsSizesThatAreNotSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(text));
        assertTrue(e.getMessage().startsWith("'" + text + "'"), e.getMessage());
    }

    @Test
    void rejectsSizeWithUnknownUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("10XB"));
        assertEquals("'10XB' has an unknown unit 'XB' (use B, KB, MB, GB or TB)", e.getMessage());
    }

    @Test
    void rejectsNegativeSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("-1GB"));
        assertEquals("'-1GB' is negative; a size must be 0 or more", e.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"9223372036854775808", "8EB", "8388608TB", "99999999999999999999999GB"})
    void rejectsSizesThatOverflow(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(text));
        assertEquals("'" + text + "' is too large", e.getMessage());
    }

    @Test
    void rejectsNullSize() {
        assertThrows(IllegalArgumentException.class, () -> Units.parseBytes(null));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
            "500ms = PT0.5S",
            "30s = PT30S",
            "30 = PT30S",
            "0 = PT0S",
            "0s = PT0S",
            "5m = PT5M",
            "2h = PT2H",
            "1d = PT24H",
            "1.5s = PT1.5S",
            "0.5m = PT30S",
            "1.5 = PT1.5S",
            "30S = PT30S",
            "500MS = PT0.5S",
            "5M = PT5M",
            "2H = PT2H",
            "1D = PT24H",
            "'30 s' = PT30S",
            "'  15  ' = PT15S",
            "1.0000000001s = PT1S",
            "106751d = PT2562024H",
    })
    void parsesDurations(String text, Duration duration) {
        assertEquals(duration, Units.parseDuration(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "s", "thirty", "30 seconds", "1:30", "1e3", "PT30S", "5 m s", "1,5s", ".5s"})
    void rejectsDurationsThatAreNotDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
        assertTrue(e.getMessage().startsWith("'" + text + "'"), e.getMessage());
    }

    @Test
    void rejectsDurationWithUnknownUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("3w"));
        assertEquals("'3w' has an unknown unit 'w' (use ms, s, m, h or d)", e.getMessage());
    }

    @Test
    void rejectsNegativeDuration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("-5s"));
        assertEquals("'-5s' is negative; a duration must be 0 or more", e.getMessage());
    }

    @Test
    void rejectsDurationThatOverflows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("106752d"));
        assertEquals("'106752d' is too large", e.getMessage());
    }

    @ParameterizedTest(name = "{0} bytes = {1}")
    @CsvSource({
            "0, 0B",
            "1, 1B",
            "1023, 1023B",
            "1024, 1KB",
            "1536, 1.5KB",
            "1025, 1.0KB",
            "10485760, 10MB",
            "9663676416, 9GB",
            "10737418240, 10GB",
            "1099511627776, 1TB",
            "9223372036854775807, 8.0EB",
            "-1, -1B",
    })
    void formatsBytes(long bytes, String text) {
        assertEquals(text, Units.formatBytes(bytes));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "PT0S, 0s",
            "PT0.5S, 500ms",
            "PT30S, 30s",
            "PT5M, 5m",
            "PT24H, 1d",
            "PT25H, 25h",
            "PT90S, 90s",
            "PT1.5S, 1500ms",
            "PT1.0005S, 1.0005s",
            "PT0.0000001S, 0.0000001s",
            "PT-1S, PT-1S",
    })
    void formatsDurations(Duration duration, String text) {
        assertEquals(text, Units.formatDuration(duration));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT0S", "PT0.5S", "PT1.5S", "PT2H", "PT24H", "PT0.000000001S", "PT1234.5678S"})
    void formattedDurationsReadBack(Duration duration) {
        assertEquals(duration, Units.parseDuration(Units.formatDuration(duration)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {0, 1, 1024, 10485760, 9663676416L, 1L << 40})
    void exactFormattedBytesReadBack(long bytes) {
        assertEquals(bytes, Units.parseBytes(Units.formatBytes(bytes)));
    }
}
