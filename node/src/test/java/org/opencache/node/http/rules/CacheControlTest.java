package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    @Test
    void directivesOfSeveralFieldLinesAreCombinedCaseInsensitively() {
        CacheControl directives = CacheControl.parse(List.of("Public, MAX-AGE=60", "s-maxage=30"));
        assertTrue(directives.has("public"));
        assertEquals(OptionalLong.of(60), directives.seconds("max-age"));
        assertEquals(OptionalLong.of(30), directives.seconds("s-maxage"));
    }

    @Test
    void commasInsideQuotedValuesDoNotSplitDirectives() {
        CacheControl directives = CacheControl.parse("no-cache=\"Set-Cookie, X-A\", max-age=5");
        assertEquals("Set-Cookie, X-A", directives.directives().get("no-cache"));
        assertEquals(OptionalLong.of(5), directives.seconds("max-age"));
    }

    @Test
    void malformedSecondsCountAsZeroAndHugeOnesAreCapped() {
        assertEquals(OptionalLong.of(0), CacheControl.parse("max-age=soon").seconds("max-age"));
        assertEquals(OptionalLong.of(0), CacheControl.parse("max-age=-1").seconds("max-age"));
        assertEquals(OptionalLong.of(2_147_483_648L), CacheControl.parse("max-age=99999999999999999999").seconds("max-age"));
        assertEquals(OptionalLong.of(7), CacheControl.parse("max-age=\"7\"").seconds("max-age"));
    }

    @Test
    void absentDirectiveHasNoSecondsAndTheFirstOfARepeatWins() {
        assertEquals(OptionalLong.empty(), CacheControl.parse("public").seconds("max-age"));
        assertEquals(OptionalLong.of(1), CacheControl.parse("max-age=1, max-age=2").seconds("max-age"));
        assertFalse(CacheControl.parse((String) null).has("no-store"));
        assertTrue(CacheControl.parse(" , ,no-store").has("no-store"));
    }
}
