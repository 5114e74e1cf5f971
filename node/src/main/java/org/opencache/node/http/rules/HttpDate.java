package org.opencache.node.http.rules;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Reads an HTTP-date (RFC 9110 §5.6.7) strictly: exactly the IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) or the asctime form ({@code Sun Nov  6 08:49:37 1994}).
 * Anything else is no date: another zone ({@code UTC}, {@code +0000}), a two-digit year or a
 * one-digit day or hour in the IMF form, a missing comma, doubled spaces, dashes where spaces
 * belong, periods in the time, trailing text. What an invalid date means is the caller's rule
 * (e.g. an invalid {@code Expires} is already expired, RFC 9111 §5.3; an invalid
 * {@code If-Modified-Since} is ignored, RFC 9110 §13.1.3).
 *
 * <p>Leniencies the RFCs ask for or allow, and nothing more: names (day, month, {@code GMT})
 * match case-insensitively (RFC 9111 §4.2: "a cache recipient SHOULD match the field value
 * case-insensitively"); whitespace around the value is not part of it (RFC 9110 §5.5); a leap
 * second {@code :60} reads as {@code :59}, the nearest earlier instant we can represent (RFC 9111
 * §4.2); the day name is checked for its form, not against the date (it is redundant, and no
 * rule makes a mismatch invalid). A calendar date that does not exist (31 Feb) is invalid.
 */
final class HttpDate {
    private static final List<String> DAY_NAMES = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAY_NAMES = List.of("Monday", "Tuesday", "Wednesday", "Thursday",
            "Friday", "Saturday", "Sunday");
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sep", "Oct", "Nov", "Dec");

    // RFC 9110 §5.6.7: an rfc850-date year "that appears to be more than 50 years in the future"
    // is the most recent past year with the same last two digits.
    private static final int TWO_DIGIT_YEAR_WINDOW = 50;

    private HttpDate() {
    }

    /** The instant of an HTTP-date; empty when the value is none of the three formats. */
    static Optional<Instant> parse(String value) {
        return parse(value, Clock.systemUTC());
    }

    /**
     * The instant of an HTTP-date, reading an RFC 850 two-digit year relative to {@code clock}'s
     * current year; empty when the value is none of the three formats.
     */
    static Optional<Instant> parse(String value, Clock clock) {
        if (value == null) {
            return Optional.empty();
        }
        Cursor in = new Cursor(stripOws(value));
        // The fourth character tells the formats apart: "Sun," "Sun " "Sunday,".
        return switch (in.text.length() > 3 ? in.text.charAt(3) : '?') {
            case ',' -> imfFixdate(in);
            case ' ' -> asctime(in);
            default -> rfc850(in, clock);
        };
    }

    // IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT; date1 = day SP month SP year
    private static Optional<Instant> imfFixdate(Cursor in) {
        if (in.name(DAY_NAMES) < 0 || !in.literal(", ")) {
            return Optional.empty();
        }
        int day = in.digits(2);
        int month = in.literal(" ") ? in.name(MONTHS) : -1;
        int year = in.literal(" ") ? in.digits(4) : -1;
        int time = in.literal(" ") ? timeOfDay(in) : -1;
        return in.literal(" GMT") && in.atEnd() ? instant(year, month, day, time) : Optional.empty();
    }

    // rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT; date2 = day "-" month "-" 2DIGIT
    private static Optional<Instant> rfc850(Cursor in, Clock clock) {
        if (in.name(LONG_DAY_NAMES) < 0 || !in.literal(", ")) {
            return Optional.empty();
        }
        int day = in.digits(2);
        int month = in.literal("-") ? in.name(MONTHS) : -1;
        int twoDigitYear = in.literal("-") ? in.digits(2) : -1;
        int time = in.literal(" ") ? timeOfDay(in) : -1;
        if (twoDigitYear < 0 || !in.literal(" GMT") || !in.atEnd()) {
            return Optional.empty();
        }
        return instant(fullYear(twoDigitYear, clock), month, day, time);
    }

    // asctime-date = day-name SP date3 SP time-of-day SP year; date3 = month SP ( 2DIGIT / ( SP DIGIT ) )
    private static Optional<Instant> asctime(Cursor in) {
        if (in.name(DAY_NAMES) < 0 || !in.literal(" ")) {
            return Optional.empty();
        }
        int month = in.name(MONTHS);
        int day = !in.literal(" ") ? -1 : in.literal(" ") ? in.digits(1) : in.digits(2);
        int time = in.literal(" ") ? timeOfDay(in) : -1;
        int year = in.literal(" ") ? in.digits(4) : -1;
        return in.atEnd() ? instant(year, month, day, time) : Optional.empty();
    }

    // time-of-day = hour ":" minute ":" second, as a second of the day; -1 if it is none. A leap
    // second (:60) reads as :59, the nearest earlier instant we can represent (RFC 9111 §4.2).
    private static int timeOfDay(Cursor in) {
        int hour = in.digits(2);
        int minute = in.literal(":") ? in.digits(2) : -1;
        int second = in.literal(":") ? in.digits(2) : -1;
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        return hour * 3600 + minute * 60 + Math.min(second, 59);
    }

    // month is 0-based; any part -1 means the value did not parse.
    private static Optional<Instant> instant(int year, int month, int day, int secondOfDay) {
        if (year < 0 || month < 0 || day < 0 || secondOfDay < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month + 1, day).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plusSeconds(secondOfDay));
        } catch (DateTimeException e) {
            // A day the month does not have (31 Feb) is no date.
            return Optional.empty();
        }
    }

    // RFC 9110 §5.6.7: a two-digit year "that appears to be more than 50 years in the future" is
    // the most recent past year with the same last two digits; so: the latest year with these
    // digits that is at most 50 years after the current one.
    private static int fullYear(int twoDigitYear, Clock clock) {
        int current = LocalDate.now(clock.withZone(ZoneOffset.UTC)).getYear();
        int year = current - Math.floorMod(current, 100) + twoDigitYear;
        if (year > current + TWO_DIGIT_YEAR_WINDOW) {
            year -= 100;
        } else if (year + 100 <= current + TWO_DIGIT_YEAR_WINDOW) {
            year += 100;
        }
        return year;
    }

    // OWS = *( SP / HTAB ), not part of a field value (RFC 9110 §5.5).
    private static String stripOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** A position in the value, advanced by each element read; a failed read leaves it in place. */
    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        /** Whether {@code expected} comes next, case-insensitively; consumed if so. */
        boolean literal(String expected) {
            if (text.regionMatches(true, at, expected, 0, expected.length())) {
                at += expected.length();
                return true;
            }
            return false;
        }

        /** The index of the name that comes next (letters only, the whole run), or -1. */
        int name(List<String> names) {
            int end = at;
            while (end < text.length() && isAsciiLetter(text.charAt(end))) {
                end++;
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.length() == end - at && text.regionMatches(true, at, name, 0, name.length())) {
                    at = end;
                    return i;
                }
            }
            return -1;
        }

        /** Exactly {@code count} ASCII digits as a number, or -1. */
        int digits(int count) {
            if (at + count > text.length()) {
                return -1;
            }
            int number = 0;
            for (int i = at; i < at + count; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                number = number * 10 + (c - '0');
            }
            at += count;
            return number;
        }

        boolean atEnd() {
            return at == text.length();
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
    }
}
