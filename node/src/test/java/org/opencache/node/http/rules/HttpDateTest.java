package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {
    private static final Instant SUNDAY = Instant.parse("1994-11-06T08:49:37Z");
    private static final Clock IN_2026 = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT", // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT", // obsolete RFC 850 format
        "Sun Nov  6 08:49:37 1994", // ANSI C asctime() format
        "Sun Nov 06 08:49:37 1994", // asctime, date3 = month SP 2DIGIT
    })
    @DisplayName("RFC 9110 §5.6.7: a recipient accepts all three HTTP-date formats")
    void threeFormats(String value) {
        assertEquals(Optional.of(SUNDAY), HttpDate.parse(value, IN_2026));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SUN, 06 NOV 1994 08:49:37 GMT",
        "sun, 06 nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 gMT",
        "SUNDAY, 06-nov-94 08:49:37 Gmt",
        "sun NOV  6 08:49:37 1994",
    })
    @DisplayName("RFC 9111 §4.2: a cache matches HTTP-date names case-insensitively")
    void namesIgnoreCase(String value) {
        assertEquals(Optional.of(SUNDAY), HttpDate.parse(value, IN_2026));
    }

    @ParameterizedTest
    @ValueSource(strings = {" Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT\t",
        "  Sunday, 06-Nov-94 08:49:37 GMT  "})
    @DisplayName("RFC 9110 §5.5: whitespace around a field value is not part of it")
    void surroundingWhitespace(String value) {
        assertEquals(Optional.of(SUNDAY), HttpDate.parse(value, IN_2026));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Zones other than GMT (RFC 9111 §4.2: "SHOULD consider ... other than GMT to be invalid").
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37 Z",
        "Sun, 06 Nov 1994 08:49:37 EST",
        "Sun, 06 Nov 1994 08:49:37",
        "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sun Nov  6 08:49:37 1994 GMT",
        // The IMF form's fields have fixed widths: year = 4DIGIT, day = 2DIGIT, hour = 2DIGIT.
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:9:37 GMT",
        "Sun, 06 Nov 1994 08:49:7 GMT",
        "Sun, 06 Nov 01994 08:49:37 GMT",
        // Separators: a missing comma, doubled spaces, dashes or periods where the grammar has SP or ":".
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06  Nov  1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994  08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37  GMT",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT,",
        "Sun,\t06 Nov 1994 08:49:37 GMT",
        // Names: abbreviations only in IMF and asctime, full day names only in RFC 850.
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sun, 06 November 1994 08:49:37 GMT",
        "Son, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Noo 1994 08:49:37 GMT",
        // RFC 850: a two-digit year, dashes, GMT.
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sunday 06-Nov-94 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        // asctime: "Nov  6" or "Nov 06", never "Nov 6"; no zone.
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun  Nov  6 08:49:37 1994",
        // Out-of-range fields and days the calendar does not have.
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Tue, 29 Feb 2022 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        // Not dates at all.
        "0", "-1", "", " ", "yesterday", "1994-11-06T08:49:37Z", "784111777",
        "Sun, 06 Nov 1994 08:49:37 GMT; length=42",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
    })
    @DisplayName("RFC 9110 §5.6.7: anything but the three formats is not an HTTP-date")
    void invalid(String value) {
        assertEquals(Optional.empty(), HttpDate.parse(value, IN_2026));
    }

    @Test
    @DisplayName("RFC 9110 §5.6.7: no value is no date")
    void absent() {
        assertEquals(Optional.empty(), HttpDate.parse(null));
    }

    @Test
    @DisplayName("RFC 9110 §5.6.7: an RFC 850 year more than 50 years ahead is the latest past year with its digits")
    void twoDigitYears() {
        assertEquals(Optional.of(Instant.parse("2076-01-01T00:00:00Z")),
                HttpDate.parse("Wednesday, 01-Jan-76 00:00:00 GMT", IN_2026));
        assertEquals(Optional.of(Instant.parse("1977-01-01T00:00:00Z")),
                HttpDate.parse("Saturday, 01-Jan-77 00:00:00 GMT", IN_2026));
        assertEquals(Optional.of(Instant.parse("2000-01-01T00:00:00Z")),
                HttpDate.parse("Saturday, 01-Jan-00 00:00:00 GMT", IN_2026));
        Clock in2090 = Clock.fixed(Instant.parse("2090-06-01T00:00:00Z"), ZoneOffset.UTC);
        assertEquals(Optional.of(Instant.parse("2110-01-01T00:00:00Z")),
                HttpDate.parse("Wednesday, 01-Jan-10 00:00:00 GMT", in2090));
    }

    @Test
    @DisplayName("RFC 9111 §4.2: a leap second is read as the nearest earlier second")
    void leapSecond() {
        assertEquals(Optional.of(Instant.parse("2016-12-31T23:59:59Z")),
                HttpDate.parse("Sat, 31 Dec 2016 23:59:60 GMT", IN_2026));
    }

    @Test
    @DisplayName("RFC 9110 §5.6.7: dates before 1970 and far ahead are dates; the day name is not checked against them")
    void range() {
        assertEquals(Optional.of(Instant.parse("1900-01-01T00:00:00Z")),
                HttpDate.parse("Mon, 01 Jan 1900 00:00:00 GMT", IN_2026));
        assertEquals(Optional.of(Instant.EPOCH), HttpDate.parse("Thu, 01 Jan 1970 00:00:00 GMT", IN_2026));
        assertEquals(Optional.of(Instant.parse("9999-12-31T23:59:59Z")),
                HttpDate.parse("Fri, 31 Dec 9999 23:59:59 GMT", IN_2026));
        assertEquals(Optional.of(SUNDAY), HttpDate.parse("Mon, 06 Nov 1994 08:49:37 GMT", IN_2026));
    }

    @Test
    @DisplayName("RFC 9110 §5.6.7: what the cache writes, it reads back")
    void roundTrip() {
        Instant instant = Instant.parse("2026-12-03T07:05:09Z");
        assertEquals(Optional.of(instant), HttpDate.parse(HeaderFields.formatDate(instant)));
    }
}
