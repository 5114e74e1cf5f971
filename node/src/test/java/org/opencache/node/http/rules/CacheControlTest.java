package org.opencache.node.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
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

    @Test
    @DisplayName("RFC 9111 §5.2.2.4, §5.2.2.7: a qualified no-cache or private names fields, an unqualified one applies to all")
    void qualifiedNoCacheAndPrivateNameFields() {
        CacheControl qualified = CacheControl.parse("no-cache=\"Set-Cookie, X-A\", private=x-b");
        assertFalse(qualified.unqualified("no-cache"));
        assertEquals(Set.of("set-cookie", "x-a"), qualified.fieldNames("no-cache"));
        assertEquals(Set.of("x-b"), qualified.fieldNames("private"));
        assertTrue(CacheControl.parse("no-cache, private").unqualified("no-cache"));
        assertTrue(CacheControl.parse("no-cache, private").unqualified("private"));
        assertTrue(CacheControl.parse("private=\"\"").unqualified("private"), "an empty list names nothing");
        assertFalse(CacheControl.parse("max-age=1").unqualified("no-cache"), "absent");
        assertEquals(Set.of(), CacheControl.parse("no-cache").fieldNames("no-cache"));
    }

    @Test
    @DisplayName("RFC 9111 §5.2.2.4: a qualified no-cache naming a field the rules read counts as unqualified")
    void qualifiedDirectiveNamingARuleFieldCountsAsUnqualified() {
        assertTrue(CacheControl.parse("no-cache=\"X-A, Cache-Control\"").unqualified("no-cache"));
        assertTrue(CacheControl.parse("private=\"Vary\"").unqualified("private"));
        assertTrue(CacheControl.parseTargeted(List.of("no-cache=\"Expires\"")).orElseThrow().unqualified("no-cache"));
    }

    @Test
    @DisplayName("RFC 9213 §2.2: a targeted field is a Structured Field dictionary of cache directives")
    void targetedFieldIsADictionaryOfDirectives() {
        CacheControl directives = CacheControl.parseTargeted(
                List.of("max-age=3600;foo=bar, no-cache=\"Set-Cookie\"", "stale-if-error=60, must-revalidate")).orElseThrow();
        assertEquals(OptionalLong.of(3600), directives.seconds("max-age"), "parameters are ignored");
        assertEquals(Set.of("set-cookie"), directives.fieldNames("no-cache"));
        assertEquals(OptionalLong.of(60), directives.seconds("stale-if-error"), "field lines are joined");
        assertTrue(directives.has("must-revalidate"));
        assertTrue(CacheControl.parseTargeted(List.of("private")).orElseThrow().unqualified("private"));
        assertEquals(OptionalLong.of(2_147_483_648L),
                CacheControl.parseTargeted(List.of("max-age=99999999999")).orElseThrow().seconds("max-age"));
        assertEquals(OptionalLong.of(2), CacheControl.parseTargeted(List.of("max-age=1, max-age=2")).orElseThrow()
                .seconds("max-age"), "RFC 8941 §4.2.2: a repeated key keeps its last value");
    }

    @Test
    @DisplayName("RFC 9213 §2.1: extension directives of any type are ignored, the field stays valid")
    void targetedFieldKeepsExtensions() {
        for (String value : List.of("foobar, max-age=3600", "x=(a b);q=1, max-age=3600", "x=:AAA=:, max-age=3600",
                "x=1.5, max-age=3600", "x=?0, max-age=3600", "x=Tok/en, max-age=3600", "*x, max-age=3600")) {
            assertEquals(OptionalLong.of(3600), CacheControl.parseTargeted(List.of(value)).orElseThrow()
                    .seconds("max-age"), value);
        }
        assertTrue(CacheControl.parseTargeted(List.of("none")).isPresent(), "RFC 9213 §3.1's example: valid, not empty");
    }

    @Test
    @DisplayName("RFC 9213 §2.2: an empty field, a parse error or a directive of the wrong type invalidates the whole field")
    void invalidTargetedFieldIsIgnored() {
        for (String value : List.of("", "   ", "max-age =100", "max-age= 100", "MaX-aGe=3600", "max-age=\"10000\"",
                "max-age=1.5", "max-age=-1", "max-age=10000, &&&&&", "no-store=?0", "public=1", "private=tok",
                "max-age=60,", "max-age=60 public", "max-age=1234567890123456", "no-cache=\"a\\b\"", "x=\"open")) {
            assertEquals(Optional.empty(), CacheControl.parseTargeted(List.of(value)), value);
        }
        assertEquals(Optional.empty(), CacheControl.parseTargeted(List.of()));
    }

    // W3C Edge Architecture Specification 1.0, "Surrogate-Control Header": Cache-Control-like
    // directives, each optionally targeted with ";device-token".
    private static CacheControl surrogate(String value) {
        return CacheControl.parseSurrogate(List.of(value), "opencache").orElseThrow();
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: max-age (any case), no-store, no-store-remote, extensions kept, content ignored")
    void surrogateDirectives() {
        assertEquals(OptionalLong.of(3600), surrogate("MaX-aGe=3600").seconds("max-age"));
        assertEquals(OptionalLong.of(3600), surrogate("foobar, max-age=3600").seconds("max-age"));
        assertTrue(surrogate("foobar, max-age=3600").has("foobar"));
        assertEquals(OptionalLong.of(CacheControl.MAX_DELTA_SECONDS), surrogate("max-age=99999999999").seconds("max-age"));
        assertTrue(surrogate("no-store").has("no-store"));
        assertTrue(surrogate("no-store-remote").has("no-store"), "an OpenCache instance is a remote surrogate");
        CacheControl content = surrogate("content=\"ESI/1.0;x\", max-age=5");
        assertFalse(content.has("content"));
        assertEquals(OptionalLong.of(5), content.seconds("max-age"));
        assertEquals(OptionalLong.of(1), surrogate("max-age=1, max-age=2").seconds("max-age"), "the first wins");
        assertEquals(OptionalLong.of(7), CacheControl.parseSurrogate(List.of("max-age=7", "no-store"), "opencache")
                .orElseThrow().seconds("max-age"), "field lines combine");
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: max-age=N+M is N seconds fresh, then M in which a failing origin may be stood in for")
    void surrogateFreshnessExtension() {
        CacheControl extended = surrogate("max-age=60+30");
        assertEquals(OptionalLong.of(60), extended.seconds("max-age"));
        assertEquals(OptionalLong.of(30), extended.seconds("stale-if-error"));
        assertEquals(OptionalLong.of(5), surrogate("max-age=60+30, stale-if-error=5").seconds("stale-if-error"));
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: a directive targeted at this device token applies, one at another token is ignored")
    void surrogateTargeting() {
        assertEquals(OptionalLong.of(3600), surrogate("max-age=3600;opencache").seconds("max-age"));
        assertEquals(OptionalLong.of(3600), surrogate("max-age=3600;OpenCache").seconds("max-age"));
        CacheControl mixed = surrogate("max-age=60;other, no-store;other, max-age=5");
        assertEquals(OptionalLong.of(5), mixed.seconds("max-age"));
        assertFalse(mixed.has("no-store"));
        assertEquals(Optional.empty(), CacheControl.parseSurrogate(List.of("max-age=3600;not-for-you"), "opencache"),
                "nothing for this surrogate: Cache-Control applies");
    }

    @Test
    @DisplayName("Edge Architecture, Surrogate-Control: a malformed field is ignored as a whole, Cache-Control then applying")
    void invalidSurrogateFieldIsIgnored() {
        for (String value : List.of("", " , ", "max-age =100", "max-age= 100", "max-age=", "max-age=\"60\"",
                "max-age=1.5", "max-age=-1", "max-age=60+", "max-age=60+x", "a b, max-age=60", "max-age=60, a@b")) {
            assertEquals(Optional.empty(), CacheControl.parseSurrogate(List.of(value), "opencache"), value);
        }
        assertEquals(Optional.empty(), CacheControl.parseSurrogate(List.of(), "opencache"));
    }
}
