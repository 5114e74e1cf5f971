package org.opencache.common.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens of {@code api_tokens_file} (docs/design.md §4), one per line as
 * {@code NAME ROLE SECRET}; blank lines and lines starting with {@code #} are skipped.
 *
 * <p>Secrets are compared in constant time: a bearer secret is hashed and compared with the hash
 * of every token's secret, all of them, with {@link MessageDigest#isEqual}, so neither the
 * position of the first differing byte nor which token matched shows in the time taken. An HMAC
 * signature is compared the same way. No method returns or prints a secret.
 */
public final class ApiTokens {
    /** Shortest secret accepted: 16 characters of a random hex or base64 string are 64+ bits. */
    public static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** RFC 6750's token68, so a secret travels in an Authorization header unchanged. */
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9._~+/=-]+");
    private static final String HMAC = "HmacSHA256";

    private final Map<String, Entry> byName;

    private ApiTokens(Map<String, Entry> byName) {
        this.byName = byName;
    }

    private record Entry(ApiToken token, byte[] secret, byte[] secretHash) {
    }

    /**
     * Reads a token file.
     *
     * @throws TokenFileException when the file cannot be read, is not UTF-8, holds no token, or a
     *                            line is not {@code NAME ROLE SECRET} with a valid part
     */
    public static ApiTokens read(Path file) throws TokenFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new TokenFileException("is not UTF-8 text", e);
        } catch (IOException e) {
            throw new TokenFileException("cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        return parse(lines);
    }

    /**
     * Builds the tokens of a file's lines.
     *
     * @throws TokenFileException as {@link #read(Path)}
     */
    public static ApiTokens parse(List<String> lines) throws TokenFileException {
        Map<String, Entry> byName = new LinkedHashMap<>();
        Set<String> secretHashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new TokenFileException(where + "expected NAME ROLE SECRET, found " + parts.length
                        + (parts.length == 1 ? " field" : " fields"));
            }
            String name = parts[0];
            if (!NAME.matcher(name).matches()) {
                throw new TokenFileException(where + "name '" + name + "' may hold only letters, digits, '.', '_', '-'");
            }
            TokenRole role = TokenRole.of(parts[1]).orElseThrow(() -> new TokenFileException(
                    where + "unknown role '" + parts[1] + "' of token '" + name + "' (use read or admin)"));
            String secret = parts[2];
            // The secret itself never goes into a message: the file may be shown in a log.
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new TokenFileException(where + "the secret of token '" + name + "' is shorter than "
                        + MIN_SECRET_LENGTH + " characters (make one with: openssl rand -hex 32)");
            }
            if (!SECRET.matcher(secret).matches()) {
                throw new TokenFileException(where + "the secret of token '" + name
                        + "' may hold only letters, digits and . _ ~ + / = -");
            }
            byte[] bytes = secret.getBytes(StandardCharsets.US_ASCII);
            byte[] hash = sha256(bytes);
            if (!secretHashes.add(HexFormat.of().formatHex(hash))) {
                throw new TokenFileException(where + "token '" + name + "' has the secret of an earlier token");
            }
            if (byName.putIfAbsent(name, new Entry(new ApiToken(name, role), bytes, hash)) != null) {
                throw new TokenFileException(where + "token name '" + name + "' is used twice");
            }
        }
        if (byName.isEmpty()) {
            throw new TokenFileException("holds no token; write one per line as NAME ROLE SECRET");
        }
        return new ApiTokens(Map.copyOf(byName));
    }

    /** {@return the tokens, without their secrets} */
    public List<ApiToken> tokens() {
        return new ArrayList<>(byName.values().stream().map(Entry::token).toList());
    }

    /** {@return the token whose secret is {@code secret}, compared in constant time with every token's} */
    public Optional<ApiToken> bearer(String secret) {
        byte[] hash = sha256(secret.getBytes(StandardCharsets.UTF_8));
        ApiToken found = null;
        for (Entry entry : byName.values()) {
            // No early exit: every token is compared, whichever matches.
            if (MessageDigest.isEqual(hash, entry.secretHash()) && found == null) {
                found = entry.token();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * {@return the token named in {@code authorization} when its signature of {@code body} at the
     * header's timestamp is right; empty for an unknown name or a wrong signature}
     * The timestamp's age and replays are the caller's to check.
     */
    public Optional<ApiToken> verify(HmacAuthorization authorization, byte[] body) {
        Entry entry = byName.get(authorization.name());
        if (entry == null) {
            return Optional.empty();
        }
        byte[] expected = hmac(entry.secret(), authorization.timestamp(), body);
        return MessageDigest.isEqual(expected, authorization.signature()) ? Optional.of(entry.token()) : Optional.empty();
    }

    /**
     * {@return HMAC-SHA256(secret, timestamp + "\n" + body), what a client puts in
     * {@code sig=} (hex-encoded)}
     */
    public static byte[] hmac(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update((timestamp + "\n").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has " + HMAC, e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Names and roles only. */
    @Override
    public String toString() {
        return "ApiTokens" + tokens();
    }
}
