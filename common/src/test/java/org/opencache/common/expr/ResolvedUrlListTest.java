package org.opencache.common.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResolvedUrlListTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        // input;                                   canonical;                             host;            port; pathAndQuery
        "http://example.com/a; http://example.com/a;                  example.com;     80;   /a",
        "http://example.com; http://example.com/;                   example.com;     80;   /",
        "http://example.com/; http://example.com/;                   example.com;     80;   /",
        "HTTP://Example.COM:80; http://example.com/;                   example.com;     80;   /",
        "Http://example.com.:080/a; http://example.com/a;                  example.com;     80;   /a",
        "http://example.com?q=1; http://example.com/?q=1;               example.com;     80;   /?q=1",
        "http://example.com:8080/a/b?x=1&y=2; http://example.com:8080/a/b?x=1&y=2;   example.com;     8080; /a/b?x=1&y=2",
        "http://example.com/a?b?c=/d; http://example.com/a?b?c=/d;           example.com;     80;   /a?b?c=/d",
        "http://example.com/A%20B?Q=%2F; http://example.com/A%20B?Q=%2F;        example.com;     80;   /A%20B?Q=%2F",
        "http://1.2.3.4/x; http://1.2.3.4/x;                      1.2.3.4;         80;   /x",
        "http://[::1]:8080/x; http://[::1]:8080/x;                   [::1];           8080; /x",
        "http://[2001:DB8:0::1]; http://[2001:db8::1]/;                 [2001:db8::1];   80;   /",
        "http://example.com/a://b;                  http://example.com/a://b;              example.com;     80;   /a://b",
        "http://localhost:65535/; http://localhost:65535/;               localhost;       65535; /",
        // The original OpenCache's form, without a scheme: the same URLs.
        "example.com/a;             http://example.com/a;                  example.com;     80;   /a",
        "Example.COM:80;            http://example.com/;                   example.com;     80;   /",
        "example.com?q=1;           http://example.com/?q=1;               example.com;     80;   /?q=1",
        "127.0.0.1:8080/f1?x=1;     http://127.0.0.1:8080/f1?x=1;          127.0.0.1;       8080; /f1?x=1",
        "[::1]:8080/x;              http://[::1]:8080/x;                   [::1];           8080; /x",
        "example.com/x://y;         http://example.com/x://y;              example.com;     80;   /x://y",
        "http:8080/x;               http://http:8080/x;                    http;            8080; /x",
    })
    void parsesUrls(String input, String canonical, String host, int port, String pathAndQuery)
            throws InvalidExpressionException {
        ResolvedUrl url = ResolvedUrl.parse(input);

        assertEquals(canonical, url.canonical());
        assertEquals(canonical, url.toString());
        assertEquals(host, url.host());
        assertEquals(port, url.port());
        assertEquals(pathAndQuery, url.pathAndQuery());
        assertEquals(URI.create(canonical), url.uri());
        assertEquals(url, ResolvedUrl.parse(canonical));
    }

    @Test
    void uriHasTheParsedComponents() throws InvalidExpressionException {
        URI uri = ResolvedUrl.parse("http://[2001:db8::1]:8080/a/b?x=1").uri();

        assertEquals("http", uri.getScheme());
        assertEquals("[2001:db8::1]", uri.getHost());
        assertEquals(8080, uri.getPort());
        assertEquals("/a/b", uri.getRawPath());
        assertEquals("x=1", uri.getRawQuery());
        assertEquals(-1, ResolvedUrl.parse("http://example.com/").uri().getPort(), "port 80 is left implicit");
    }

    @Test
    void parsesListsTrimmingAndCollapsingDuplicates() throws InvalidExpressionException {
        ResolvedUrlList list = ResolvedUrlList.parse(
                " http://b.com/y | http://a.com/x|HTTP://A.com:80/x|http://b.com/y?z ");

        List<String> canonical = new ArrayList<>();
        list.urls().forEach(u -> canonical.add(u.canonical()));
        assertEquals(List.of("http://b.com/y", "http://a.com/x", "http://b.com/y?z"), canonical);
        assertEquals("http://b.com/y|http://a.com/x|http://b.com/y?z", list.canonical());
        assertEquals(list.canonical(), list.toString());
        assertEquals(list, ResolvedUrlList.parse(list.canonical()));
    }

    /** One grammar with expressions: a scheme-less URL names the host and port its expression would. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.com/a", "Example.com:8080/a/b", "[2001:DB8::1]:81/x", "10.0.0.1/x"})
    void aUrlWithoutSchemeMeansTheSameAsWithAndAsAnExpression(String text) throws InvalidExpressionException {
        ResolvedUrl bare = ResolvedUrl.parse(text);
        Expression expression = Expression.parse(text);

        assertEquals(ResolvedUrl.parse("http://" + text), bare);
        assertEquals(expression.host(), bare.host());
        assertEquals(expression.port(), bare.port());
        assertEquals(expression.pathPrefix(), bare.pathAndQuery());
        assertEquals(expression, Expression.parse("http://" + text));
    }

    @Test
    void parsesAMixedList() throws InvalidExpressionException {
        assertEquals("http://a.com/x|http://b.com:81/y", ResolvedUrlList.parse("a.com/x|http://b.com:81/y").canonical());
    }

    @Test
    void parsesASingleUrl() throws InvalidExpressionException {
        ResolvedUrlList list = ResolvedUrlList.parse("http://example.com/a");

        assertEquals(List.of(ResolvedUrl.parse("http://example.com/a")), list.urls());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", value = {
        "* => '*': fetch needs fully resolved URLs, not '*'",
        "' * ' => '*': fetch needs fully resolved URLs, not '*'",
        "*|http://a.com/ => part 1 of '*|http://a.com/': fetch needs fully resolved URLs, not '*'",
        "'' => '': no URLs given; fetch needs fully resolved URLs, not '*'",
        "https://example.com/ => 'https://example.com/': only plain HTTP is cached: write 'http://' or no scheme, not 'https://'",
        "ftp://example.com/f => 'ftp://example.com/f': only plain HTTP is cached: write 'http://' or no scheme, not 'ftp://'",
        "http://a.com/|HTTPS://b.com/ => part 2 of 'http://a.com/|HTTPS://b.com/': only plain HTTP is cached: write 'http://' or no scheme, not 'HTTPS://'",
        "http:/example.com/a => 'http:/example.com/a': malformed scheme 'http:/'; write 'http://host/path' or 'host/path'",
        "HTTPS:/example.com/a => 'HTTPS:/example.com/a': malformed scheme 'HTTPS:/'; write 'http://host/path' or 'host/path'",
        "http://http://a.com/ => 'http://http://a.com/': the port after ':' is empty",
        "@@@ => '@@@': user info ('@') is not allowed",
        "example.com/a#frag => 'example.com/a#frag': a URL to fetch takes no fragment ('#frag')",
        "example.com:99999/a => 'example.com:99999/a': port 99999 is out of range 1-65535",
        "/a => '/a': the host is missing",
        "http://example.com/a#frag => 'http://example.com/a#frag': a URL to fetch takes no fragment ('#frag')",
        "http://example.com#frag => 'http://example.com#frag': a URL to fetch takes no fragment ('#frag')",
        "http:// => 'http://': the host is missing",
        "http:///a => 'http:///a': the host is missing",
        "http://:8080/a => 'http://:8080/a': the host is missing",
        "http://exa mple.com/ => 'http://exa mple.com/': whitespace inside a URL",
        "http://example.com/a b => 'http://example.com/a b': whitespace inside a URL",
        "http://example.com:99999/ => 'http://example.com:99999/': port 99999 is out of range 1-65535",
        "http://example.com:0/ => 'http://example.com:0/': port 0 is out of range 1-65535",
        "http://example.com:/ => 'http://example.com:/': the port after ':' is empty",
        "http://example.com:http/ => 'http://example.com:http/': port 'http' is not a number",
        "http://ex_ample.com/ => 'http://ex_ample.com/': host 'ex_ample.com' contains '_' (a host name has only letters, digits, '-' and '.')",
        "http://-a.com/ => 'http://-a.com/': label '-a' starts or ends with '-'",
        "http://256.0.0.1/ => 'http://256.0.0.1/': octet '256' of '256.0.0.1' is out of range 0-255",
        "http://01.2.3.4/ => 'http://01.2.3.4/': octet '01' of '01.2.3.4' has a leading zero, which some systems read as octal",
        "http://1.2.3/ => 'http://1.2.3/': '1.2.3' is not an IPv4 address (four decimal octets 0-255)",
        "http://::1/ => 'http://::1/': IPv6 literal '::1' must be in brackets, e.g. '[::1]'",
        "http://[::1/ => 'http://[::1/': IPv6 literal '[::1' is missing its closing ']'",
        "http://[::g]/ => 'http://[::g]/': '[::g]' is not a valid IPv6 address",
        "http://user:pw@example.com/ => 'http://user:pw@example.com/': user info ('user:pw@') is not allowed",
        "http://bücher.de/ => 'http://bücher.de/': host 'bücher.de' has non-ASCII characters; use its ASCII form 'xn--bcher-kva.de'",
        "http://example.com/%zz => 'http://example.com/%zz': '%zz' in '/%zz' is not a valid percent-escape (%XX)",
        "http://example.com/é => 'http://example.com/é': path '/é' has non-ASCII characters; percent-encode their UTF-8 bytes",
        "http://example.com/a?b=[1] => 'http://example.com/a?b=[1]': path '/a?b=[1]' contains '['; percent-encode it as %5B",
        "http://a.com/x||http://b.com/ => part 2 of 'http://a.com/x||http://b.com/' is empty",
        "|http://a.com/ => part 1 of '|http://a.com/' is empty",
        "http://a.com/| => part 2 of 'http://a.com/|' is empty",
    })
    void rejectsInvalidUrls(String input, String expectedMessage) {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ResolvedUrlList.parse(input));

        assertEquals(expectedMessage, thrown.getMessage());
        ExpressionTest.assertOneShortLine(thrown.getMessage());
    }

    @Test
    void absentExprIsRefusedBecauseItMeansAll() {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ResolvedUrlList.parse(null));

        assertEquals("expr is missing: fetch needs fully resolved URLs, not '*'", thrown.getMessage());
    }

    @Test
    void singleUrlParseNamesTheUrl() {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ResolvedUrl.parse(" https://x.com/ "));

        assertEquals("'https://x.com/': only plain HTTP is cached: write 'http://' or no scheme, not 'https://'",
                thrown.getMessage());
        assertThrows(InvalidExpressionException.class, () -> ResolvedUrl.parse(null));
        assertThrows(InvalidExpressionException.class, () -> ResolvedUrl.parse("http://a.com/|http://b.com/"));
    }

    /** Expressions and URLs share one host grammar: same verdict, same canonical host. */
    @ParameterizedTest
    @ValueSource(strings = {"Example.COM.", "example.com:8080", "1.2.3.4", "[2001:DB8::0:1]:81", "[::1]",
        "xn--bcher-kva.de", "a", "ex_ample.com", "256.0.0.1", "01.2.3.4", "1.2.3", "::1", "[::g]", "-a.com",
        "a..b", "bücher.de", "example.com:0", "example.com:x", "[fe80::1%eth0]", "[::1]x"})
    void hostsFollowTheSameRulesAsExpressions(String authority) {
        Expression expression = null;
        ResolvedUrl url = null;
        String expressionError = null;
        String urlError = null;
        try {
            expression = Expression.parse(authority);
        } catch (InvalidExpressionException e) {
            expressionError = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        }
        try {
            url = ResolvedUrl.parse("http://" + authority + "/");
        } catch (InvalidExpressionException e) {
            urlError = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        }

        assertEquals(expressionError, urlError);
        if (expression != null && url != null) {
            assertEquals(expression.host(), url.host());
            assertEquals(expression.port(), url.port());
            assertTrue(url.canonical().startsWith("http://" + expression.canonical()));
        }
    }

    @Test
    void urlsCannotBeModified() throws InvalidExpressionException {
        ResolvedUrlList list = ResolvedUrlList.parse("http://a.com/");

        assertThrows(UnsupportedOperationException.class, () -> list.urls().clear());
    }

    @Test
    void constructorsRejectNonCanonicalValues() throws InvalidExpressionException {
        ResolvedUrl a = ResolvedUrl.parse("http://a.com/");

        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrlList(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrlList(List.of(a, a)));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("A.com", 80, "/"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("a.com", 0, "/"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("a.com", 80, ""));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("a.com", 80, "a"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("a.com", 80, "/a#b"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl("a.com", 80, "/a b"));
        assertThrows(IllegalArgumentException.class, () -> new ResolvedUrl(null, 80, "/"));
        assertEquals("http://a.com:81/x?y", new ResolvedUrl("a.com", 81, "/x?y").canonical());
    }
}
