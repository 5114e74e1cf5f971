package org.opencache.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The token file, bearer and HMAC checks, the replay guard and the refusal log. */
class AuthTest {
    static final String READ = "r-0123456789abcdef";
    static final String ADMIN = "a-0123456789abcdef";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static ApiTokens tokens() throws TokenFileException {
        return ApiTokens.parse(List.of("", "# comment", "viewer read " + READ, "  ops   ADMIN   " + ADMIN + "  "));
    }

    @Test
    void bearerSecretsFindTheirToken() throws Exception {
        ApiTokens tokens = tokens();
        assertEquals(Optional.of(new ApiToken("viewer", TokenRole.READ)), tokens.bearer(READ));
        assertEquals(Optional.of(new ApiToken("ops", TokenRole.ADMIN)), tokens.bearer(ADMIN));
        assertEquals(Optional.empty(), tokens.bearer(READ + "x"));
        assertEquals(Optional.empty(), tokens.bearer(""));
        assertFalse(tokens.toString().contains(READ), "no secret in toString: " + tokens);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "viewer read|line 1: expected NAME ROLE SECRET, found 2 fields",
            "viewer root r-0123456789abcdef|line 1: unknown role 'root' of token 'viewer' (use read or admin)",
            "viewer read short|line 1: the secret of token 'viewer' is shorter than 16 characters",
            "vie,wer read r-0123456789abcdef|line 1: name 'vie,wer' may hold only",
            "viewer read r-0123456789abcdef\"|line 1: the secret of token 'viewer' may hold only",
            "# nothing|holds no token"})
    void badFilesSayWhichLineAndWhat(String line, String message) {
        TokenFileException e = assertThrows(TokenFileException.class, () -> ApiTokens.parse(List.of(line)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), "no secret in a message: " + e.getMessage());
    }

    @Test
    void duplicateNamesAndSecretsAreRefused() {
        assertTrue(assertThrows(TokenFileException.class, () -> ApiTokens.parse(List.of(
                "a read " + READ, "a admin " + ADMIN))).getMessage().contains("line 2: token name 'a' is used twice"));
        assertTrue(assertThrows(TokenFileException.class, () -> ApiTokens.parse(List.of(
                "a read " + READ, "b admin " + READ))).getMessage().contains("has the secret of an earlier token"));
    }

    @Test
    void aSignatureVerifiesOnlyForItsNameSecretTimestampAndBody() throws Exception {
        ApiTokens tokens = tokens();
        byte[] body = "{\"method\":\"stat\"}".getBytes(StandardCharsets.UTF_8);
        HmacAuthorization good = HmacAuthorization.parse(HmacAuthorization.sign("ops", ADMIN, 1700000000L, body)).orElseThrow();
        assertEquals(Optional.of(new ApiToken("ops", TokenRole.ADMIN)), tokens.verify(good, body));
        assertEquals(Optional.empty(), tokens.verify(good, "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), tokens.verify(new HmacAuthorization("ops", 1700000001L, good.signature()), body));
        assertEquals(Optional.empty(), tokens.verify(new HmacAuthorization("viewer", 1700000000L, good.signature()), body));
        assertEquals(Optional.empty(), tokens.verify(new HmacAuthorization("nobody", 1700000000L, good.signature()), body));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "OpenCache-HMAC name=ops, ts=12",
            "OpenCache-HMAC name=ops, ts=12, sig=abc",
            "OpenCache-HMAC name=ops, ts=-1, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "OpenCache-HMAC name=ops, ts=1, ts=2, sig=0000000000000000000000000000000000000000000000000000000000000000",
            // Beyond what Instant holds: refused at parsing, never an exception later.
            "OpenCache-HMAC name=ops, ts=999999999999999999, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "Bearer x"})
    void malformedHeadersAreNotParsed(String header) {
        assertEquals(Optional.empty(), HmacAuthorization.parse(header));
    }

    @Test
    void theReplayGuardRefusesStaleTimestampsAndRepeatsAndForgetsAfterTheMargin() throws Exception {
        StepClock clock = new StepClock(T0);
        ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), clock, 3);
        long now = T0.getEpochSecond();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        HmacAuthorization a = HmacAuthorization.parse(HmacAuthorization.sign("ops", ADMIN, now, body)).orElseThrow();
        assertEquals(Optional.empty(), guard.admit(a));
        assertTrue(guard.admit(a).orElseThrow().contains("already used"));
        assertTrue(guard.admit(sig(now - 31, body)).orElseThrow().contains("31s from the controller's clock"));
        assertTrue(guard.admit(sig(now + 31, body)).orElseThrow().contains("timestamp_error_margin"));
        assertEquals(Optional.empty(), guard.admit(sig(now + 30, body)), "at the margin is still in time");
        assertEquals(Optional.empty(), guard.admit(sig(now - 30, body)));
        assertTrue(guard.admit(sig(now - 29, body)).orElseThrow().contains("too many"), "capacity 3 reached");
        assertEquals(3, guard.size());
        clock.advance(Duration.ofSeconds(62));
        assertEquals(0, guard.size(), "entries go once their timestamp is stale");
        assertTrue(guard.admit(a).orElseThrow().contains("from the controller's clock"), "and stale they stay refused");
    }

    private static HmacAuthorization sig(long ts, byte[] body) {
        return HmacAuthorization.parse(HmacAuthorization.sign("ops", ADMIN, ts, body)).orElseThrow();
    }

    @Test
    void refusalsAreLoggedOncePerAddressPerMinute() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.refusals");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        StepClock clock = new StepClock(T0);
        RefusalLog log = new RefusalLog(logger, clock, "JSON-RPC request");
        for (int i = 0; i < 5; i++) {
            log.refused("10.0.0.1", 401, "no token has this bearer secret");
        }
        log.refused("10.0.0.2", 403, "role 'read' may not call 'start'");
        assertEquals(2, appender.list.size(), appender.list.toString());
        clock.advance(Duration.ofSeconds(59));
        log.refused("10.0.0.1", 401, "again");
        assertEquals(2, appender.list.size());
        clock.advance(Duration.ofSeconds(1));
        log.refused("10.0.0.1", 401, "no token has this bearer secret");
        assertEquals(3, appender.list.size());
        String line = appender.list.get(2).getFormattedMessage();
        assertTrue(line.contains("from 10.0.0.1 with 401") && line.contains("and 5 more refusals"), line);
    }
}
