package org.opencache.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where sizes and durations are read from and written for people (docs/design.md §3).
 *
 * <p>Sizes: a whole number of bytes ({@code 9663676416}) or a number with a unit: {@code 0B},
 * {@code 512KB}, {@code 10MB}, {@code 1.5GB}, {@code 1TB}. Units are binary (1KB = 1024 bytes),
 * because the original OpenCache wrote {@code alert_disk = 9663676416} meaning 9GB; {@code KiB},
 * {@code MiB} … and the bare letters {@code K}, {@code M} … mean the same. A fraction rounds down
 * to whole bytes.
 *
 * <p>Durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or a plain number
 * of seconds ({@code 30}), as the original files wrote them. Fractions are allowed
 * ({@code 1.5s}); the resolution is one nanosecond and the longest duration about 292 years.
 *
 * <p>Both are case-insensitive and allow a space between number and unit. Parse errors are
 * {@link IllegalArgumentException}s whose message quotes the text and says what is wrong, ready to
 * be wrapped into a {@link ConfigException} with the key.
 */
public final class Units {

    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)", Pattern.CASE_INSENSITIVE);

    private static final Map<String, Long> SIZE_UNITS = sizeUnits();
    private static final String[] SIZE_NAMES = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};

    private static final Map<String, Long> DURATION_UNITS = Map.of(
            "", 1_000_000_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L,
            "d", 86_400_000_000_000L);

    private Units() {
    }

    /**
     * Reads a size in bytes.
     *
     * @param text e.g. {@code 10MB}, {@code 1 gib}, {@code 9663676416}
     * @return bytes, {@code >= 0}
     * @throws IllegalArgumentException when the text is not a size, is negative or does not fit a long
     */
    public static long parseBytes(String text) {
        Matcher m = amount(text, "size", "e.g. 512KB, 10MB, 1GB or a number of bytes");
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        Long multiplier = SIZE_UNITS.get(unit);
        if (multiplier == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit '" + m.group(2) + "' (use B, KB, MB, GB or TB)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        if (multiplier == 1 && number.scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return toLong(number.multiply(BigDecimal.valueOf(multiplier)), text);
    }

    /**
     * Reads a duration.
     *
     * @param text e.g. {@code 500ms}, {@code 30s}, {@code 5 m}, {@code 30} (seconds)
     * @return a duration, never negative
     * @throws IllegalArgumentException when the text is not a duration, is negative or too long
     */
    public static Duration parseDuration(String text) {
        Matcher m = amount(text, "duration", "e.g. 500ms, 30s, 5m, 2h, 1d or a number of seconds");
        Long nanosPerUnit = DURATION_UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (nanosPerUnit == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' has an unknown unit '" + m.group(2) + "' (use ms, s, m, h or d)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        return Duration.ofNanos(toLong(number.multiply(BigDecimal.valueOf(nanosPerUnit)), text));
    }

    /**
     * Writes a size for a log line with the largest binary unit that fits: {@code 0B},
     * {@code 512B}, {@code 9GB}, {@code 1.5KB}. Inexact values show one decimal. Negative values
     * (which only a bug produces) are written as plain bytes rather than throwing from a log call.
     */
    public static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        int power = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        long unit = 1L << (10 * power);
        if (bytes % unit == 0) {
            return (bytes / unit) + SIZE_NAMES[power];
        }
        BigDecimal value = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(unit), 1, RoundingMode.HALF_UP);
        return value.toPlainString() + SIZE_NAMES[power];
    }

    /**
     * Writes a duration with the largest unit that states it exactly ({@code 0s}, {@code 500ms},
     * {@code 30s}, {@code 5m}, {@code 24h}, {@code 1d}); anything else as decimal seconds
     * ({@code 1.0005s}). The result reads back through {@link #parseDuration(String)}. Negative
     * durations fall back to {@link Duration#toString()}.
     */
    public static String formatDuration(Duration duration) {
        if (duration.isNegative()) {
            return duration.toString();
        }
        if (duration.isZero()) {
            return "0s";
        }
        for (String unit : new String[] {"d", "h", "m", "s", "ms"}) {
            Duration one = Duration.ofNanos(DURATION_UNITS.get(unit));
            long count = duration.dividedBy(one);
            if (one.multipliedBy(count).equals(duration)) {
                return count + unit;
            }
        }
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }

    private static Matcher amount(String text, String what, String hint) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative; a " + what + " must be 0 or more");
        }
        Matcher m = AMOUNT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what + " (" + hint + ")");
        }
        return m;
    }

    private static long toLong(BigDecimal value, String text) {
        BigInteger whole = value.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (whole.bitLength() > 63) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return whole.longValue();
    }

    private static Map<String, Long> sizeUnits() {
        Map<String, Long> units = new HashMap<>();
        units.put("", 1L);
        units.put("b", 1L);
        String[] letters = {"k", "m", "g", "t", "p", "e"};
        for (int i = 0; i < letters.length; i++) {
            long multiplier = 1L << (10 * (i + 1));
            units.put(letters[i], multiplier);
            units.put(letters[i] + "b", multiplier);
            units.put(letters[i] + "ib", multiplier);
        }
        return Map.copyOf(units);
    }
}
