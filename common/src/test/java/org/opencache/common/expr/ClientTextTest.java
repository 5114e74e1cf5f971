package org.opencache.common.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientTextTest {

    @Test
    void shortTextIsEchoedAsItIs() {
        assertEquals("example.com/a", ClientText.echo("example.com/a"));
        assertEquals("", ClientText.echo(""));
        assertEquals("x".repeat(200), ClientText.echo("x".repeat(200)));
    }

    @Test
    void longTextIsCutToTheLimitWithAnEllipsis() {
        String echoed = ClientText.echo("x".repeat(1024 * 1024));

        assertEquals(ClientText.MAX_ECHO, echoed.length());
        assertEquals("x".repeat(197) + "...", echoed);
        assertEquals("x".repeat(197) + "...", ClientText.echo("x".repeat(201)));
    }

    @Test
    void controlCharactersAreEscapedAndCountTowardsTheLimit() {
        assertEquals("a\\u000ab\\u0000", ClientText.echo("a\nb\u0000"));
        assertEquals(ClientText.MAX_ECHO, ClientText.echo("\n".repeat(1000)).length());
        // An escape that would cross the limit is cut too, never left whole past it.
        assertEquals(10, ClientText.echo("abcdefghi\n", 10).length());
    }
}
