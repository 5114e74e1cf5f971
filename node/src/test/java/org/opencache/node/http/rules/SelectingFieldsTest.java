package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SelectingFieldsTest {

    @Test
    @DisplayName("RFC 9111 §4.1, RFC 9110 §5.3: field lines combine and whitespace around commas goes, for any field")
    void anyFieldIsCombinedAndTrimmed() {
        assertEquals("1, 2", normal("foo", "1,2"));
        assertEquals("1, 2", normal("foo", " 1, 2 "));
        assertEquals("1, 2", normal("foo", "1", "2"));
        // An unknown field's members keep their case and order: the origin owns their meaning.
        assertEquals("B, a", normal("foo", "B,a"));
    }

    @Test
    @DisplayName("RFC 9111 §4.1, RFC 9110 §12.5.4: Accept-Language ignores case, whitespace and order of equal weights")
    void acceptLanguage() {
        assertEquals(normal("accept-language", "en, de"), normal("accept-language", "de, en"));
        assertEquals(normal("accept-language", "en-US, de"), normal("accept-language", "DE,en-us"));
        assertEquals(normal("accept-language", "da, en-gb;q=0.8, en;q=0.7"),
                normal("accept-language", "en ; Q=0.700, EN-GB;q=0.80", "da;q=1"));
        assertEquals("da, en-gb;q=0.8, en;q=0.7", normal("accept-language", "en;q=0.7, da, en-gb;q=0.8"));
        assertNotEquals(normal("accept-language", "en, de;q=0.5"), normal("accept-language", "de, en;q=0.5"));
    }

    @Test
    @DisplayName("RFC 9111 §4.1, RFC 9110 §12.5.3: Accept-Encoding codings are case-insensitive, equal weights unordered")
    void acceptEncoding() {
        assertEquals("br, gzip, identity;q=0", normal("accept-encoding", "GZIP ,br", "identity; q=0.000"));
        assertEquals(normal("accept-encoding", "gzip, deflate, br"), normal("accept-encoding", "br,deflate,gzip,"));
        assertNotEquals(normal("accept-encoding", "gzip"), normal("accept-encoding", "gzip;q=0"));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: a plain lower-case list takes a short path to the same normal form")
    void plainListsGetTheSameNormalForm() {
        assertEquals("br, deflate, gzip, zstd", normal("accept-encoding", "gzip, deflate, br, zstd"));
        assertEquals("br, gzip", normal("accept-encoding", " gzip ,, br,"));
        assertEquals(normal("accept-encoding", "gzip, br"), normal("accept-encoding", "GZIP, br"));
        assertEquals(normal("accept-encoding", "gzip, br"), normal("accept-encoding", "gzip", "br"));
        assertEquals("", normal("accept-encoding", ""));
    }

    @Test
    @DisplayName("RFC 9111 §4.1, RFC 9110 §12.5.1, §8.3.1: Accept media types and parameter names ignore case, values do not")
    void accept() {
        assertEquals(normal("accept", "text/html, application/json;q=0.9"),
                normal("accept", "application/JSON ; q=0.90,Text/HTML"));
        assertEquals("text/html;level=1, */*;q=0.1", normal("accept", "*/*;q=0.1, text/html ; LEVEL=1"));
        assertNotEquals(normal("accept", "text/plain;format=Flowed"), normal("accept", "text/plain;format=flowed"));
    }

    @Test
    @DisplayName("RFC 9110 §12.4.2: an invalid weight is kept as sent; a quoted member is compared as sent")
    void oddMembersAreKeptAsSent() {
        assertEquals("gzip;q=1.5", normal("accept-encoding", "gzip;q=1.5"));
        assertEquals("a/b;x=\"1,2\"", normal("accept", " a/b;x=\"1,2\" "));
    }

    @Test
    @DisplayName("RFC 9111 §4.1: remembered normal forms are the parsed ones, also past the bound and for long values")
    void rememberedNormalFormsStayRight() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 600; i++) {
                assertEquals("x" + i + ", en;q=0.5", normal("accept-language", "EN;q=0.50, X" + i));
            }
        }
        String many = "x".repeat(300) + ", A";
        assertEquals("a, " + "x".repeat(300), normal("accept-encoding", many));
        assertEquals("a, " + "x".repeat(300), normal("accept-encoding", many));
    }

    private static String normal(String name, String... values) {
        return SelectingFields.normalise(name, List.of(values));
    }
}
