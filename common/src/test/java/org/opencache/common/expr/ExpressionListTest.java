package org.opencache.common.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionListTest {

    @Test
    void nullMeansAll() throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse(null);

        assertSame(ExpressionList.all(), list);
        assertTrue(list.isAll());
        assertEquals(List.of(Expression.WILDCARD), list.expressions());
        assertEquals("*", list.canonical());
        assertEquals("*", list.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", " * ", "\t*\n"})
    void wildcardAloneIsAll(String input) throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse(input);

        assertTrue(list.isAll());
        assertEquals(ExpressionList.all(), list);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        // input;                                       canonical
        "example.com => example.com",
        "Example.COM:80/a => example.com/a",
        "a.com|b.com:8080/x => a.com|b.com:8080/x",
        "b.com|a.com => b.com|a.com",
        " a.com | b.com => a.com|b.com",
        "a.com\t|\tb.com => a.com|b.com",
        "a.com|A.COM:80|b.com|a.com. => a.com|b.com",
        "a.com/x|a.com/x/|a.com => a.com/x|a.com/x/|a.com",
        "[::1]|[0:0:0:0:0:0:0:1]:80|1.2.3.4 => [::1]|1.2.3.4",
        "a.com:8080|a.com:8081|a.com => a.com:8080|a.com:8081|a.com",
        "http://a.com/x|a.com/x|HTTP://b.com:81 => a.com/x|b.com:81",
    })
    void parsesLists(String input, String canonical) throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse(input);

        assertEquals(canonical, list.canonical());
        assertFalse(list.isAll());
        assertEquals(list, ExpressionList.parse(canonical), "the canonical form parses to the same list");
    }

    @Test
    void keepsFirstSeenOrderAndDropsLaterDuplicates() throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse("c.com|a.com|C.com|b.com|a.com:80/");

        List<String> canonical = new ArrayList<>();
        list.expressions().forEach(e -> canonical.add(e.canonical()));
        assertEquals(List.of("c.com", "a.com", "b.com"), canonical);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", value = {
        "'' => '': empty expression; use '*' for all traffic",
        "'   ' => '': empty expression; use '*' for all traffic",
        "a.com||b.com => part 2 of 'a.com||b.com' is empty",
        "|a.com => part 1 of '|a.com' is empty",
        "a.com| => part 2 of 'a.com|' is empty",
        "| => part 1 of '|' is empty",
        "a.com| |b.com => part 2 of 'a.com| |b.com' is empty",
        "*|a.com => part 1 of '*|a.com': '*' means all traffic and cannot be combined with other parts",
        "a.com|* => part 2 of 'a.com|*': '*' means all traffic and cannot be combined with other parts",
        "a.com| * => part 2 of 'a.com| *': '*' means all traffic and cannot be combined with other parts",
        "*|* => part 1 of '*|*': '*' means all traffic and cannot be combined with other parts",
        "a.com|b.com:99999 => part 2 of 'a.com|b.com:99999': port 99999 is out of range 1-65535",
        "exa mple.com => 'exa mple.com': whitespace inside an expression",
        "a.com|exa mple.com => part 2 of 'a.com|exa mple.com': whitespace inside an expression",
        "*:80 => '*:80': the wildcard '*' takes no port or path",
        "a.com|*:80 => part 2 of 'a.com|*:80': the wildcard '*' takes no port or path",
        "a.com|b_c.com|d => part 2 of 'a.com|b_c.com|d': host 'b_c.com' contains '_' (a host name has only letters, digits, '-' and '.')",
        "a.com|https://b.com => part 2 of 'a.com|https://b.com': only plain HTTP is cached: write 'http://' or no scheme, not 'https://'",
        "a.com|b.com/x?y => part 2 of 'a.com|b.com/x?y': an expression takes no query ('?y'), only a path prefix",
        "a.com|2001:db8::1 => part 2 of 'a.com|2001:db8::1': IPv6 literal '2001:db8::1' must be in brackets, e.g. '[2001:db8::1]'",
        "a.com|256.0.0.1 => part 2 of 'a.com|256.0.0.1': octet '256' of '256.0.0.1' is out of range 0-255",
    })
    void rejectsInvalidLists(String input, String expectedMessage) {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ExpressionList.parse(input));

        assertEquals(expectedMessage, thrown.getMessage());
    }

    @Test
    void reportsTheFirstBadPart() {
        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ExpressionList.parse("a.com|b.com:0|c.com:-1"));

        assertEquals("part 2 of 'a.com|b.com:0|c.com:-1': port 0 is out of range 1-65535", thrown.getMessage());
    }

    @Test
    void shortensVeryLongListsInMessages() {
        String input = "a.com|".repeat(1000) + "bad_host";

        InvalidExpressionException thrown = assertThrows(InvalidExpressionException.class,
                () -> ExpressionList.parse(input));

        assertTrue(thrown.getMessage().startsWith("part 1001 of 'a.com|a.com|"), thrown.getMessage());
        ExpressionTest.assertOneShortLine(thrown.getMessage());
    }

    @Test
    void matchesByCanonicalForm() throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse("A.com|b.com:8080/x");

        assertTrue(list.matches("a.com"));
        assertTrue(list.matches("b.com:8080/x"));
        assertFalse(list.matches("A.com"), "the argument is expected in canonical form");
        assertFalse(list.matches("c.com"));
        assertFalse(list.matches("b.com:8080"));
        assertFalse(list.matches("b.com:8080/x/y"), "selection is by name, not by coverage");
        assertFalse(list.matches("*"));
        assertFalse(list.matches(null));
    }

    @Test
    void allMatchesEverything() {
        assertTrue(ExpressionList.all().matches("a.com"));
        assertTrue(ExpressionList.all().matches("*"));
        assertTrue(ExpressionList.all().matches(null));
    }

    @Test
    void expressionsCannotBeModified() throws InvalidExpressionException {
        ExpressionList list = ExpressionList.parse("a.com|b.com");

        assertThrows(UnsupportedOperationException.class, () -> list.expressions().add(Expression.WILDCARD));
    }

    @Test
    void constructorCopiesTheList() throws InvalidExpressionException {
        List<Expression> source = new ArrayList<>(List.of(Expression.parse("a.com")));
        ExpressionList list = new ExpressionList(source);

        source.add(Expression.parse("b.com"));

        assertEquals("a.com", list.canonical());
    }

    @Test
    void constructorRejectsInconsistentLists() throws InvalidExpressionException {
        Expression a = Expression.parse("a.com");

        assertThrows(IllegalArgumentException.class, () -> new ExpressionList(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ExpressionList(List.of(a, a)));
        assertThrows(IllegalArgumentException.class, () -> new ExpressionList(List.of(a, Expression.WILDCARD)));
        assertThrows(NullPointerException.class, () -> new ExpressionList(null));
    }
}
