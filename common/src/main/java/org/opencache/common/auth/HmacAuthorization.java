package org.opencache.common.auth;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Authorization: OpenCache-HMAC name=NAME, ts=UNIX_SECONDS, sig=HEX} header of a
 * signed request (docs/design.md §4): {@code sig} is HMAC-SHA256 of {@code ts + "\n" + body}
 * keyed with the token's secret, so a secret never crosses a plain-HTTP connection.
 *
 * @param name      the token's name
 * @param timestamp when the client signed, in seconds since the epoch
 * @param signature the HMAC, 32 bytes
 */
public record HmacAuthorization(String name, long timestamp, byte[] signature) {
    /** The scheme word of the header. */
    public static final String SCHEME = "OpenCache-HMAC";

    /**
     * {@return the header's parts, if {@code value} is an {@code OpenCache-HMAC} header with exactly
     * {@code name}, {@code ts} and {@code sig}, a whole-number {@code ts} and a 64-digit hex
     * {@code sig}}
     */
    public static Optional<HmacAuthorization> parse(String value) {
        if (!value.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : value.substring(SCHEME.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0 || params.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip()) != null) {
                return Optional.empty();
            }
        }
        String name = params.get("name");
        String ts = params.get("ts");
        String sig = params.get("sig");
        if (params.size() != 3 || name == null || ts == null || sig == null
                || !ts.matches("\\d{1,12}") || !sig.matches("[0-9a-fA-F]{64}")) {
            return Optional.empty();
        }
        return Optional.of(new HmacAuthorization(name, Long.parseLong(ts), HexFormat.of().parseHex(sig)));
    }

    /** {@return the header value a client sends for {@code body} signed with {@code secret} at {@code timestamp}} */
    public static String sign(String name, String secret, long timestamp, byte[] body) {
        byte[] sig = ApiTokens.hmac(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), timestamp, body);
        return SCHEME + " name=" + name + ", ts=" + timestamp + ", sig=" + HexFormat.of().formatHex(sig);
    }

    /** {@return the signature in hex, the key of the replay check} */
    public String signatureHex() {
        return HexFormat.of().formatHex(signature);
    }

    // A record compares arrays by identity; two headers with the same text are equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof HmacAuthorization h && h.name.equals(name) && h.timestamp == timestamp
                && java.util.Arrays.equals(h.signature, signature);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, timestamp, java.util.Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "HmacAuthorization[name=" + name + ", ts=" + timestamp + "]";
    }
}
