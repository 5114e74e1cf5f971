package org.opencache.controller.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.opencache.common.auth.ApiToken;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.auth.HmacAuthorization;
import org.opencache.common.auth.ReplayGuard;
import org.opencache.common.auth.TokenRole;
import org.opencache.common.expr.ClientText;

/**
 * Checks the {@code Authorization} header of an API request against {@code api_tokens_file}
 * (docs/design.md §4): {@code Bearer SECRET}, or {@code OpenCache-HMAC name=…, ts=…, sig=…}
 * signing the body. Without a token file every request is granted the {@code admin} role, as
 * before tokens existed.
 */
final class Gatekeeper {
    /** Signed requests remembered at once for the replay check; far above any script's rate. */
    private static final int REPLAY_CAPACITY = 100_000;
    private static final String BEARER = "Bearer ";

    private final Optional<ApiTokens> tokens;
    private final ReplayGuard replays;

    Gatekeeper(Optional<ApiTokens> tokens, Duration margin, Clock clock) {
        this.tokens = tokens;
        this.replays = new ReplayGuard(margin, clock, REPLAY_CAPACITY);
    }

    /** {@return whether requests must carry a token} */
    boolean required() {
        return tokens.isPresent();
    }

    /**
     * @param authorization the header's value, or {@code null} when absent
     * @param body          the request body, which an HMAC signs
     */
    Access check(String authorization, byte[] body) {
        if (tokens.isEmpty()) {
            return new Access.Granted(TokenRole.ADMIN);
        }
        if (authorization == null || authorization.isBlank()) {
            return new Access.Denied("this endpoint needs a token: send 'Authorization: Bearer SECRET',"
                    + " or sign the request with 'Authorization: OpenCache-HMAC name=NAME, ts=UNIX_SECONDS, sig=HEX'");
        }
        if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            Optional<ApiToken> token = tokens.get().bearer(authorization.substring(BEARER.length()).strip());
            return token.<Access>map(t -> new Access.Granted(t.role()))
                    .orElseGet(() -> new Access.Denied("no token has this bearer secret"));
        }
        if (authorization.regionMatches(true, 0, HmacAuthorization.SCHEME + " ", 0,
                HmacAuthorization.SCHEME.length() + 1)) {
            return signed(authorization, body);
        }
        String scheme = authorization.strip().split("\\s+", 2)[0];
        return new Access.Denied("unsupported Authorization scheme '" + ClientText.echo(scheme.toLowerCase(Locale.ROOT))
                + "'; use Bearer or " + HmacAuthorization.SCHEME);
    }

    private Access signed(String authorization, byte[] body) {
        Optional<HmacAuthorization> header = HmacAuthorization.parse(authorization);
        if (header.isEmpty()) {
            return new Access.Denied("malformed " + HmacAuthorization.SCHEME
                    + " header; expected name=NAME, ts=UNIX_SECONDS, sig=64 hex digits");
        }
        // The signature first: only a token holder may learn about its clock or fill the replay cache.
        Optional<ApiToken> token = tokens.orElseThrow().verify(header.get(), body);
        if (token.isEmpty()) {
            return new Access.Denied("unknown token name or wrong signature"
                    + " (sig is the hex HMAC-SHA256 of ts + \"\\n\" + body, keyed with the token's secret)");
        }
        return replays.admit(header.get()).<Access>map(Access.Denied::new)
                .orElseGet(() -> new Access.Granted(token.get().role()));
    }
}
