package org.opencache.common.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

    private static final String LABEL_63 = "a".repeat(63);
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters
    private static final String NAME_253 = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(61);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // input,                       canonical,                 host,                  port,  pathPrefix
        "example.com,                   example.com,               example.com,           80,    ''",
        "Example.COM,                   example.com,               example.com,           80,    ''",
        "example.com.,                  example.com,               example.com,           80,    ''",
        "EXAMPLE.com.:8080/a,           example.com:8080/a,        example.com,           8080,  /a",
        "example.com:80,                example.com,               example.com,           80,    ''",
        "example.com:080,               example.com,               example.com,           80,    ''",
        "example.com:1,                 example.com:1,             example.com,           1,     ''",
        "example.com:65535,             example.com:65535,         example.com,           65535, ''",
        "example.com/,                  example.com,               example.com,           80,    ''",
        "example.com:8080/,             example.com:8080,          example.com,           8080,  ''",
        "example.com/a/b,               example.com/a/b,           example.com,           80,    /a/b",
        "example.com/videos/,           example.com/videos/,       example.com,           80,    /videos/",
        "example.com/A/B,               example.com/A/B,           example.com,           80,    /A/B",
        "example.com/a%20b,             example.com/a%20b,         example.com,           80,    /a%20b",
        "example.com/~u/a;b=c:d@e!$&*+, example.com/~u/a;b=c:d@e!$&*+, example.com,       80,    /~u/a;b=c:d@e!$&*+",
        "example.com/a://b,             example.com/a://b,         example.com,           80,    /a://b",
        "localhost,                     localhost,                 localhost,             80,    ''",
        "a,                             a,                         a,                     80,    ''",
        "a-b.c-d.e9,                    a-b.c-d.e9,                a-b.c-d.e9,            80,    ''",
        "1.2.3.a,                       1.2.3.a,                   1.2.3.a,               80,    ''",
        "xn--bcher-kva.de,              xn--bcher-kva.de,          xn--bcher-kva.de,      80,    ''",
        "1.2.3.4,                       1.2.3.4,                   1.2.3.4,               80,    ''",
        "0.0.0.0,                       0.0.0.0,                   0.0.0.0,               80,    ''",
        "255.255.255.255,               255.255.255.255,           255.255.255.255,       80,    ''",
        "10.0.0.1:8080/x,               10.0.0.1:8080/x,           10.0.0.1,              8080,  /x",
        "[2001:db8::1],                 [2001:db8::1],             [2001:db8::1],         80,    ''",
        "[2001:DB8:0:0:0:0:0:1],        [2001:db8::1],             [2001:db8::1],         80,    ''",
        "[2001:0db8:0000::0001],        [2001:db8::1],             [2001:db8::1],         80,    ''",
        "[::1],                         [::1],                     [::1],                 80,    ''",
        "[::],                          [::],                      [::],                  80,    ''",
        "[::1]:8080,                    [::1]:8080,                [::1],                 8080,  ''",
        "[::1]:80/a,                    [::1]/a,                   [::1],                 80,    /a",
        "[::1]/a,                       [::1]/a,                   [::1],                 80,    /a",
        "[1:0:0:0:0:0:0:0],             [1::],                     [1::],                 80,    ''",
        "[2001:db8:0:0:1:0:0:1],        [2001:db8::1:0:0:1],       [2001:db8::1:0:0:1],   80,    ''",
        // An optional http://, as fetch URLs take it (one grammar for every method's expr).
        "http://example.com,            example.com,               example.com,           80,    ''",
        "HTTP://Example.com:8080/a,     example.com:8080/a,        example.com,           8080,  /a",
        "http://[::1]:80/a,             [::1]/a,                   [::1],                 80,    /a",
        "http://example.com/,           example.com,               example.com,           80,    ''",
        "[2001:db8:0:1:0:0:0:1],        [2001:db8:0:1::1],         [2001:db8:0:1::1],     80,    ''",
        "[fe80::1:2:3:4:5:6],           [fe80:0:1:2:3:4:5:6],      [fe80:0:1:2:3:4:5:6],  80,    ''",
        "[::ffff:1.2.3.4],              [::ffff:1.2.3.4],          [::ffff:1.2.3.4],      80,    ''",
        "[::FFFF:0102:0304],            [::ffff:1.2.3.4],          [::ffff:1.2.3.4],      80,    ''",
    })
    void parsesValidExpressions(String input, String canonical, String host, int port, String pathPrefix)
            throws InvalidExpressionException {
        Expression expression = Expression.parse(input);

        assertEquals(canonical, expression.canonical());
        assertEquals(canonical, expression.toString());
        assertEquals(host, expression.host());
        assertEquals(port, expression.port());
        assertEquals(pathPrefix, expression.pathPrefix());
        assertFalse(expression.isWildcard());
        assertEquals(expression, Expression.parse(canonical), "the canonical form parses to the same value");
    }

    @Test
    void acceptsLongestLabelAndName() throws InvalidExpressionException {
        assertEquals(LABEL_63 + ".com", Expression.parse(LABEL_63 + ".com").host());
        assertEquals(253, NAME_253.length());
        assertEquals(NAME_253, Expression.parse(NAME_253).host());
        assertEquals(NAME_253, Expression.parse(NAME_253 + ".").host(), "the trailing dot does not count");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", " * ", "\t*\n"})
    void parsesTheWildcard(String input) throws InvalidExpressionException {
        Expression expression = Expression.parse(input);

        assertSame(Expression.WILDCARD, expression);
        assertTrue(expression.isWildcard());
        assertEquals("*", expression.canonical());
        assertEquals("*", expression.host());
        assertEquals(80, expression.port());
        assertEquals("", expression.pathPrefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {" example.com", "example.com ", "\texample.com/a\n", "\u00a0example.com\u2003"})
    void trimsWhitespaceAround(String input) throws InvalidExpressionException {
        assertEquals(Parts.strip(input), Expression.parse(input).canonical());
    }

    @Test
    void equalExpressionsHaveEqualCanonicalForms() throws InvalidExpressionException {
        Expression a = Expression.parse("Example.COM:80/a");
        Expression b = Expression.parse("example.com/a");
        Expression c = Expression.parse("example.com.:0080/a");

        assertEquals(a, b);
        assertEquals(b, c);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("example.com/a", a.canonical());
        assertEquals(a.canonical(), c.canonical());
        assertEquals(Expression.parse("[2001:db8::1]:8080"), Expression.parse("[2001:DB8:0::0:1]:8080"));
    }

    @Test
    void differentExpressionsHaveDifferentCanonicalForms() throws InvalidExpressionException {
        String[] inputs = {"example.com", "example.com:8080", "example.com/a", "example.com/a/", "example.com/A",
            "www.example.com", "[::1]", "1.2.3.4", "*"};
        for (int i = 0; i < inputs.length; i++) {
            for (int j = i + 1; j < inputs.length; j++) {
                assertFalse(Expression.parse(inputs[i]).canonical().equals(Expression.parse(inputs[j]).canonical()),
                        inputs[i] + " vs " + inputs[j]);
            }
        }
    }

    static Stream<Arguments> invalidExpressions() {
        return Stream.of(
            // empty and whitespace
            Arguments.of("", "'': empty expression; use '*' for all traffic"),
            Arguments.of("   ", "'': empty expression"),
            Arguments.of("exa mple.com", "'exa mple.com': whitespace inside an expression"),
            Arguments.of("example.com /a", "whitespace inside an expression"),
            Arguments.of("example.com/a b", "whitespace inside an expression"),
            Arguments.of("example.com:80 80", "whitespace inside an expression"),
            Arguments.of("a.com\tb", "whitespace inside an expression"),
            Arguments.of("a.com\u00a0b", "whitespace inside an expression"),
            // wildcard
            Arguments.of("*:80", "'*:80': the wildcard '*' takes no port or path"),
            Arguments.of("*/a", "'*/a': the wildcard '*' takes no port or path"),
            Arguments.of("*.example.com", "host '*.example.com' contains '*'"),
            Arguments.of("**", "contains '*'"),
            // garbage
            Arguments.of("https://x", "'https://x': only plain HTTP is cached: write 'http://' or no scheme, not 'https://'"),
            Arguments.of("ftp://example.com/a", "not 'ftp://'"),
            Arguments.of("http:/example.com/a", "malformed scheme 'http:/'"),
            Arguments.of("http://", "the host is missing"),
            Arguments.of("http://*", "host '*' contains '*'"),
            Arguments.of("http://example.com/a?b", "an expression takes no query"),
            Arguments.of("@@@", "user info ('@') is not allowed"),
            Arguments.of("user:pw@example.com", "user info ('user:pw@') is not allowed"),
            Arguments.of("a.com|b.com", "'|' separates expressions"),
            Arguments.of("exa_mple.com", "host 'exa_mple.com' contains '_'"),
            Arguments.of("example.com\\a", "contains '\\'"),
            Arguments.of("example.com\u0001", "contains U+0001"),
            Arguments.of("bücher.de", "host 'bücher.de' has non-ASCII characters; use its ASCII form 'xn--bcher-kva.de'"),
            Arguments.of("例え.jp", "has non-ASCII characters"),
            Arguments.of("\u212Aexample.com", "has non-ASCII characters"),
            // DNS name rules
            Arguments.of("a".repeat(254), "is longer than 253 characters"),
            Arguments.of(NAME_253 + "b", "is longer than 253 characters"),
            Arguments.of("a".repeat(64) + ".com", "label '" + "a".repeat(64) + "' is longer than 63 characters"),
            Arguments.of("-a.com", "label '-a' starts or ends with '-'"),
            Arguments.of("a-.com", "label 'a-' starts or ends with '-'"),
            Arguments.of("a.-b.com", "label '-b' starts or ends with '-'"),
            Arguments.of("a..com", "host 'a..com' has an empty label"),
            Arguments.of(".a.com", "has an empty label"),
            Arguments.of(".", "has an empty label"),
            Arguments.of("a.com..", "has an empty label"),
            // IPv4
            Arguments.of("256.1.1.1", "octet '256' of '256.1.1.1' is out of range 0-255"),
            Arguments.of("1.2.3.999", "octet '999' of '1.2.3.999' is out of range 0-255"),
            Arguments.of("1111.2.3.4", "octet '1111' of '1111.2.3.4' is out of range 0-255"),
            Arguments.of("1.2.3", "'1.2.3' is not an IPv4 address (four decimal octets 0-255)"),
            Arguments.of("1.2.3.4.5", "'1.2.3.4.5' is not an IPv4 address"),
            Arguments.of("1.2.3.4.", "'1.2.3.4.' is not an IPv4 address"),
            Arguments.of("1..3.4", "'1..3.4' is not an IPv4 address"),
            Arguments.of("1234", "'1234' is not an IPv4 address"),
            Arguments.of("01.2.3.4", "octet '01' of '01.2.3.4' has a leading zero"),
            Arguments.of("1.2.3.00", "octet '00' of '1.2.3.00' has a leading zero"),
            // IPv6
            Arguments.of("2001:db8::1", "IPv6 literal '2001:db8::1' must be in brackets, e.g. '[2001:db8::1]'"),
            Arguments.of("::1", "IPv6 literal '::1' must be in brackets"),
            Arguments.of("[2001:db8::1", "IPv6 literal '[2001:db8::1' is missing its closing ']'"),
            Arguments.of("[::1:8080", "is missing its closing ']'"),
            Arguments.of("2001:db8::1]", "IPv6 literal '2001:db8::1]' is missing its opening '['"),
            Arguments.of("[2001:db8::g]", "'[2001:db8::g]' is not a valid IPv6 address"),
            Arguments.of("[2001:db8:::1]", "is not a valid IPv6 address"),
            Arguments.of("[1:2:3:4:5:6:7:8:9]", "is not a valid IPv6 address"),
            Arguments.of("[1::2::3]", "is not a valid IPv6 address"),
            Arguments.of("[12345::1]", "is not a valid IPv6 address"),
            Arguments.of("[::1.2.3.256]", "is not a valid IPv6 address"),
            Arguments.of("[]", "'[]' is not a valid IPv6 address"),
            Arguments.of("[1.2.3.4]", "'[1.2.3.4]' is not a valid IPv6 address"),
            Arguments.of("[example.com]", "is not a valid IPv6 address"),
            Arguments.of("[" + "1:".repeat(30) + ":1]", "is not a valid IPv6 address"),
            Arguments.of("[fe80::1%eth0]", "IPv6 zone ids ('%...') are not supported"),
            Arguments.of("[fe80::1%25eth0]", "IPv6 zone ids"),
            Arguments.of("[::1]x", "unexpected 'x' after IPv6 literal '[::1]'"),
            Arguments.of("[::1][::2]", "unexpected '[::2]' after IPv6 literal '[::1]'"),
            Arguments.of("[::1]:", "the port after ':' is empty"),
            // ports
            Arguments.of("example.com:0", "port 0 is out of range 1-65535"),
            Arguments.of("example.com:65536", "'example.com:65536': port 65536 is out of range 1-65535"),
            Arguments.of("example.com:99999999999999999999", "port 99999999999999999999 is out of range"),
            Arguments.of("example.com:abc", "port 'abc' is not a number"),
            Arguments.of("example.com:-1", "port '-1' is not a number"),
            Arguments.of("example.com:+80", "port '+80' is not a number"),
            Arguments.of("example.com:\u0663", "port '\u0663' is not a number"),
            Arguments.of("example.com:", "'example.com:': the port after ':' is empty"),
            Arguments.of("example.com:/a", "the port after ':' is empty"),
            Arguments.of("example.com:80:90", "'example.com:80:90' has more than one ':'"),
            Arguments.of("[::1]:99999", "port 99999 is out of range 1-65535"),
            // missing host
            Arguments.of(":80", "the host is missing"),
            Arguments.of("/a", "the host is missing"),
            Arguments.of("?q", "the host is missing"),
            // path prefixes
            Arguments.of("example.com/a?b=c", "an expression takes no query ('?b=c'), only a path prefix"),
            Arguments.of("example.com?x", "an expression takes no query ('?x')"),
            Arguments.of("example.com/a#f", "an expression takes no fragment ('#f')"),
            Arguments.of("example.com#f", "an expression takes no fragment"),
            Arguments.of("example.com/a%zz", "'%zz' in '/a%zz' is not a valid percent-escape (%XX)"),
            Arguments.of("example.com/a%2", "'%2' in '/a%2' is not a valid percent-escape"),
            Arguments.of("example.com/a%", "'%' in '/a%' is not a valid percent-escape"),
            Arguments.of("example.com/é", "path '/é' has non-ASCII characters; percent-encode their UTF-8 bytes"),
            Arguments.of("example.com/a[b]", "path '/a[b]' contains '['; percent-encode it as %5B"),
            Arguments.of("example.com/a\"", "contains '\"'; percent-encode it as %22"),
            Arguments.of("example.com/a\u0000", "contains U+0000; percent-encode it as %00"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidExpressions")
    void rejectsInvalidExpressions(String input, String expectedMessagePart) {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class, () -> Expression.parse(input));

        String message = thrown.getMessage();
        assertTrue(message.contains(expectedMessagePart), () -> "message was: " + message);
        assertTrue(message.startsWith(Parts.quote(Parts.strip(input)) + ": "), () -> "message was: " + message);
        assertOneShortLine(message);
    }

    @Test
    void rejectsNull() {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class, () -> Expression.parse(null));
        assertEquals("the expression is missing; use '*' for all traffic", thrown.getMessage());
    }

    @Test
    void shortensVeryLongInputInMessages() {
        String input = "a".repeat(5000);

        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class, () -> Expression.parse(input));

        assertTrue(thrown.getMessage().length() < 200, thrown.getMessage());
        assertTrue(thrown.getMessage().startsWith("'" + "a".repeat(61) + "...': "), thrown.getMessage());
    }

    @Test
    void escapesControlCharactersInMessages() {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> Expression.parse("a\u0007b"));

        assertEquals("'a\\u0007b': host 'a\\u0007b' contains U+0007 (a host name has only letters, digits, '-' and '.')",
                thrown.getMessage());
    }

    @ParameterizedTest(name = "{0} covers {1}:{2}{3} = {4}")
    @CsvSource({
        // expression,          host,              port, path,           covered
        "*,                     anything.org,      80,   /x,             true",
        "*,                     anything.org,      8080, '',             true",
        "*,                     [::1],             1,    /,              true",
        "example.com,           example.com,       80,   /,              true",
        "example.com,           example.com,       80,   /any/thing?q=1, true",
        "example.com,           EXAMPLE.Com,       80,   /,              true",
        "example.com,           example.com.,      80,   /,              true",
        "example.com,           example.com,       8080, /,              false",
        "example.com:8080,      example.com,       8080, /,              true",
        "example.com:8080,      example.com,       80,   /,              false",
        "example.com,           www.example.com,   80,   /,              false",
        "example.com,           example.co,        80,   /,              false",
        "example.com,           xexample.com,      80,   /,              false",
        "www.example.com,       example.com,       80,   /,              false",
        "example.com/videos,    example.com,       80,   /videos,        true",
        "example.com/videos,    example.com,       80,   /videos/,       true",
        "example.com/videos,    example.com,       80,   /videos/a/b,    true",
        "example.com/videos,    example.com,       80,   /videos?x=1,    true",
        "example.com/videos,    example.com,       80,   /videos#top,    true",
        "example.com/videos,    example.com,       80,   /videosx,       false",
        "example.com/videos,    example.com,       80,   /video,         false",
        "example.com/videos,    example.com,       80,   /Videos,        false",
        "example.com/videos,    example.com,       80,   /,              false",
        "example.com/videos,    example.com,       80,   '',             false",
        "example.com/videos,    example.com,       80,   /a/videos,      false",
        "example.com/videos,    example.com,       80,   /x?/videos,     false",
        "example.com/videos/,   example.com,       80,   /videos/a,      true",
        "example.com/videos/,   example.com,       80,   /videos/,       true",
        "example.com/videos/,   example.com,       80,   /videos,        false",
        "example.com/a/b,       example.com,       80,   /a/b/c,         true",
        "example.com/a/b,       example.com,       80,   /a/bc,          false",
        "example.com/a/b,       example.com,       80,   /a,             false",
        "example.com,           example.com,       80,   '',             true",
        "1.2.3.4,               1.2.3.4,           80,   /,              true",
        "1.2.3.4,               1.2.3.5,           80,   /,              false",
        "[2001:db8::1],         [2001:db8::1],     80,   /,              true",
        "[2001:db8::1],         2001:db8::1,       80,   /,              true",
        "[2001:db8::1],         [2001:DB8:0::0:1], 80,   /,              true",
        "[2001:db8::1],         [::1],             80,   /,              false",
        "[2001:db8::1],         2001:db8::1:,      80,   /,              false",
        "[2001:db8::1]:8080/a,  [2001:db8::1],     8080, /a/b,           true",
        "[2001:db8::1]:8080/a,  [2001:db8::1],     80,   /a/b,           false",
        "example.com,           \u212Aexample.com, 80,   /,              false",
    })
    void coversRequests(String expression, String host, int port, String path, boolean covered)
            throws InvalidExpressionException {
        assertEquals(covered, Expression.parse(expression).covers(host, port, path));
    }

    @Test
    void coversTreatsNullPathAsRootAndNullHostAsNoMatch() throws InvalidExpressionException {
        assertTrue(Expression.parse("example.com").covers("example.com", 80, null));
        assertFalse(Expression.parse("example.com/a").covers("example.com", 80, null));
        assertFalse(Expression.parse("example.com").covers(null, 80, "/"));
        assertFalse(Expression.parse("example.com").covers("", 80, "/"));
        assertTrue(Expression.WILDCARD.covers(null, 0, null));
    }

    @Test
    void constructorAcceptsCanonicalComponents() {
        Expression expression = new Expression("example.com", 8080, "/a");

        assertEquals("example.com:8080/a", expression.canonical());
        assertEquals(Expression.WILDCARD, new Expression("*", 80, ""));
    }

    @ParameterizedTest(name = "[{index}] {0}:{1}{2}")
    @CsvSource({
        "Example.com,     80,    ''",
        "example.com.,    80,    ''",
        "'',              80,    ''",
        "bad_host,        80,    ''",
        "[2001:DB8::1],   80,    ''",
        "[2001:db8:0::1], 80,    ''",
        "example.com,     0,     ''",
        "example.com,     65536, ''",
        "example.com,     80,    /",
        "example.com,     80,    a",
        "example.com,     80,    /a?b",
        "*,               8080,  ''",
        "*,               80,    /a",
    })
    void constructorRejectsNonCanonicalComponents(String host, int port, String pathPrefix) {
        assertThrows(IllegalArgumentException.class, () -> new Expression(host, port, pathPrefix));
    }

    @Test
    void constructorRejectsNulls() {
        assertThrows(IllegalArgumentException.class, () -> new Expression(null, 80, ""));
        assertThrows(IllegalArgumentException.class, () -> new Expression("example.com", 80, null));
    }

    static void assertOneShortLine(String message) {
        for (char c : message.toCharArray()) {
            assertFalse(Character.isISOControl(c), () -> "control character in: " + message);
        }
        assertTrue(message.length() < 300, () -> "too long: " + message);
        assertFalse(message.contains("Exception"), () -> "looks like a stack trace: " + message);
    }
}
