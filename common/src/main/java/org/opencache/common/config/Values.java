package org.opencache.common.config;

import java.io.File;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencache.common.config.ConfigKey.Type;

/**
 * The {@code key = value} pairs of one source, read by one role, with typed, validated getters.
 * A missing key takes its {@link ConfigKey#defaultValue() default}, read by the same getter, so
 * it is never an error; a key that is present must hold a valid value, and every failure is a
 * {@link ConfigException} naming source, key and value.
 *
 * <p>Keys are lower-cased, as the original OpenCache's Python {@code ConfigParser} did. Values
 * are stripped of surrounding whitespace and of one pair of surrounding quotes.
 *
 * <p>Each getter checks that the role reads the key and that the table gives it the getter's
 * type, so {@link ConfigReader} cannot drift from {@link ConfigKey}: a mismatch is a bug and
 * fails every read with an {@link IllegalStateException}.
 */
final class Values {

    private static final int MIN_PORT = 1;
    private static final int MAX_PORT = 65_535;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\S+?)\\s*[,-]\\s*(\\S+)");
    /** Characters MongoDB does not allow in a database name. */
    private static final Pattern BAD_DATABASE_NAME = Pattern.compile("[/\\\\. \"$*<>:|?]");
    private static final int MAX_DATABASE_NAME = 63;
    private static final Duration ONE_MILLISECOND = Duration.ofMillis(1);

    private final Map<String, String> values;
    private final String source;
    private final Role role;

    private Values(Map<String, String> values, String source, Role role) {
        this.values = values;
        this.source = source;
        this.role = role;
    }

    /**
     * Normalizes keys and values.
     *
     * @param role the role whose keys the getters will read
     * @throws ConfigException when two keys differ only in case
     */
    static Values of(Map<String, String> raw, String source, Role role) throws ConfigException {
        Map<String, String> normalized = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey().strip().toLowerCase(Locale.ROOT);
            if (normalized.put(key, unquote(entry.getValue())) != null) {
                throw new ConfigException(source, key, "is set more than once");
            }
        }
        return new Values(Collections.unmodifiableMap(normalized), source, role);
    }

    /** The source name for messages. */
    String source() {
        return source;
    }

    /** All keys, in source order. */
    Set<String> keys() {
        return values.keySet();
    }

    /** Whether the source sets {@code key}, even to an empty value. */
    boolean has(ConfigKey key) {
        return values.containsKey(key.key());
    }

    /** An error about {@code key}. */
    ConfigException error(ConfigKey key, String problem) {
        return new ConfigException(source, key.key(), problem);
    }

    /** A host name or address: non-empty and without spaces. */
    String host(ConfigKey key) throws ConfigException {
        String value = required(key, Type.HOST);
        checkHost(key, value, value);
        return value;
    }

    /** A host name or address, or empty for none. */
    Optional<String> optionalHost(ConfigKey key) throws ConfigException {
        Optional<String> value = optional(key, Type.OPTIONAL_HOST);
        if (value.isPresent()) {
            checkHost(key, value.get(), value.get());
        }
        return value;
    }

    /** A TCP port, 1-65535. */
    int port(ConfigKey key) throws ConfigException {
        return whole(key, required(key, Type.PORT), MIN_PORT, MAX_PORT);
    }

    /** A whole number in the key's range. */
    int whole(ConfigKey key) throws ConfigException {
        return whole(key, required(key, Type.WHOLE), key.min(), key.max());
    }

    private int whole(ConfigKey key, String value, int min, int max) throws ConfigException {
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw error(key, "'" + value + "' is not a whole number");
        }
        return inRange(key, new BigInteger(value), min, max);
    }

    /** A size in bytes, {@code >= 0}; see {@link Units#parseBytes(String)}. */
    long size(ConfigKey key) throws ConfigException {
        try {
            return Units.parseBytes(required(key, Type.SIZE));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /**
     * A duration; zero only for {@link Type#DURATION_OR_ZERO}, at least a millisecond for
     * {@link Type#TIMEOUT}. See {@link Units#parseDuration(String)}.
     */
    Duration duration(ConfigKey key) throws ConfigException {
        String value = required(key, Type.DURATION, Type.DURATION_OR_ZERO, Type.TIMEOUT);
        Duration duration;
        try {
            duration = Units.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
        if (duration.isZero() && key.type() != Type.DURATION_OR_ZERO) {
            throw error(key, "'" + value + "' must be greater than zero");
        }
        if (key.type() == Type.TIMEOUT && duration.compareTo(ONE_MILLISECOND) < 0) {
            throw error(key, "'" + value + "' must be at least 1ms");
        }
        return duration;
    }

    /** A file system path. */
    Path path(ConfigKey key) throws ConfigException {
        return toPath(key, required(key, Type.PATH));
    }

    /** A file system path whose empty value means "none". */
    Optional<Path> optionalPath(ConfigKey key) throws ConfigException {
        Optional<String> value = optional(key, Type.OPTIONAL_PATH);
        return value.isEmpty() ? Optional.empty() : Optional.of(toPath(key, value.get()));
    }

    /**
     * Whether a path's value ends with a separator, which names a directory; {@link Path}
     * drops it, so it has to be read from the value as written.
     */
    boolean endsWithSeparator(ConfigKey key) {
        String value = optional(key, Type.OPTIONAL_PATH).orElse("");
        return value.endsWith("/") || value.endsWith(File.separator);
    }

    /** A boolean, as Python's {@code ConfigParser.getboolean} reads one. */
    boolean bool(ConfigKey key) throws ConfigException {
        String value = required(key, Type.BOOLEAN);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(key, "'" + value + "' is not a boolean (use true or false)");
        };
    }

    /** {@code first,last} or {@code first-last}, both ports, {@code first <= last}. */
    PortRange portRange(ConfigKey key) throws ConfigException {
        String value = required(key, Type.PORT_RANGE);
        Matcher m = PORT_RANGE.matcher(value);
        if (!m.matches() || !WHOLE_NUMBER.matcher(m.group(1)).matches()
                || !WHOLE_NUMBER.matcher(m.group(2)).matches()) {
            throw error(key, "'" + value + "' is not a port range (use first,last e.g. 49003,50000)");
        }
        int first = inRange(key, new BigInteger(m.group(1)), MIN_PORT, MAX_PORT);
        int last = inRange(key, new BigInteger(m.group(2)), MIN_PORT, MAX_PORT);
        if (first > last) {
            throw error(key, "'" + value + "': first port " + first + " is greater than last port " + last);
        }
        return new PortRange(first, last);
    }

    /** {@code tcp:HOST:PORT}, or empty for none. */
    Optional<String> openflowAddress(ConfigKey key) throws ConfigException {
        Optional<String> value = optional(key, Type.OPENFLOW_ADDRESS);
        if (value.isEmpty()) {
            return value;
        }
        String address = value.get();
        int colon = address.lastIndexOf(':');
        if (!address.startsWith("tcp:") || colon < "tcp:".length() + 1) {
            throw error(key, "'" + address + "' is not a switch address (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6653)");
        }
        checkHost(key, address, address.substring("tcp:".length(), colon));
        String port = address.substring(colon + 1);
        if (!WHOLE_NUMBER.matcher(port).matches()) {
            throw error(key, "'" + address + "': '" + port + "' is not a port number");
        }
        if (outside(new BigInteger(port), MIN_PORT, MAX_PORT)) {
            throw error(key, "'" + address + "': port " + port + " is out of range 1-65535");
        }
        return value;
    }

    /** A MongoDB connection string, {@code mongodb://} or {@code mongodb+srv://}, or empty for none. */
    Optional<String> databaseUri(ConfigKey key) throws ConfigException {
        Optional<String> uri = optional(key, Type.DATABASE_URI);
        if (uri.isPresent()) {
            String value = uri.get();
            boolean scheme = value.startsWith("mongodb://") || value.startsWith("mongodb+srv://");
            if (!scheme || value.endsWith("//") || value.chars().anyMatch(Character::isWhitespace)) {
                throw error(key, "'" + value + "' is not a MongoDB connection string"
                        + " (use mongodb://HOST:PORT or mongodb+srv://HOST)");
            }
        }
        return uri;
    }

    /** A MongoDB database name: non-empty, at most 63 characters, none that MongoDB forbids. */
    String databaseName(ConfigKey key) throws ConfigException {
        String value = required(key, Type.DATABASE_NAME);
        if (value.length() > MAX_DATABASE_NAME || BAD_DATABASE_NAME.matcher(value).find()) {
            throw error(key, "'" + value + "' is not a MongoDB database name"
                    + " (at most 63 characters, none of / \\ . \" $ * < > : | ? or space)");
        }
        return value;
    }

    /** Comma-separated address blocks ({@code 10.0.0.0/8, fd00::/8}), or empty for none. */
    List<AddressRange> addressRanges(ConfigKey key) throws ConfigException {
        Optional<String> value = optional(key, Type.ADDRESS_RANGES);
        if (value.isEmpty()) {
            return List.of();
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (String part : value.get().split(",", -1)) {
            if (part.isBlank()) {
                throw error(key, "'" + value.get() + "' has an empty entry (separate blocks with one comma)");
            }
            try {
                ranges.add(AddressRange.parse(part));
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }
        return List.copyOf(ranges);
    }

    /** An access log format: {@code combined} or {@code json}, in any case. */
    AccessLogConfig.Format accessLogFormat(ConfigKey key) throws ConfigException {
        String value = required(key, Type.ACCESS_LOG_FORMAT);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "combined" -> AccessLogConfig.Format.COMBINED;
            case "json" -> AccessLogConfig.Format.JSON;
            default -> throw error(key, "'" + value + "' is not an access log format (use combined or json)");
        };
    }

    /** Comma-separated field names, in order, or empty for none ({@link ResponseRulesConfig#fieldNames}). */
    List<String> fieldNames(ConfigKey key) throws ConfigException {
        try {
            return ResponseRulesConfig.fieldNames(optional(key, Type.FIELD_NAMES).orElse(""));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** A {@code set_cookie} mode: {@code store}, {@code strip} or {@code pass}, in any case. */
    ResponseRulesConfig.SetCookie setCookie(ConfigKey key) throws ConfigException {
        try {
            return ResponseRulesConfig.SetCookie.of(required(key, Type.SET_COOKIE));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** The value, the table's default when absent, or an error when present but empty. */
    private String required(ConfigKey key, Type... types) throws ConfigException {
        String value = text(key, types);
        if (value.isEmpty()) {
            throw error(key, "has no value; remove the line to use the default");
        }
        return value;
    }

    /** The value of a key whose empty value means "none"; empty when absent or empty. */
    private Optional<String> optional(ConfigKey key, Type type) {
        String value = text(key, type);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * The source's value, else the table's default. Checks that the role reads the key and that
     * the table gives it one of {@code types}.
     */
    private String text(ConfigKey key, Type... types) {
        if (!key.readBy(role) || !Arrays.asList(types).contains(key.type())) {
            throw new IllegalStateException("the " + role.noun() + " reads '" + key.key() + "' as "
                    + Arrays.toString(types) + ", but ConfigKey gives it roles " + key.roles()
                    + " and type " + key.type());
        }
        return values.getOrDefault(key.key(), key.defaultValue());
    }

    private void checkHost(ConfigKey key, String value, String host) throws ConfigException {
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw error(key, "'" + value + "' is not a host name or address");
        }
    }

    private int inRange(ConfigKey key, BigInteger number, int min, int max) throws ConfigException {
        if (outside(number, min, max)) {
            // An open-ended range reads better without its technical upper bound.
            String problem = max == Integer.MAX_VALUE
                    ? " must be at least " + min
                    : " is out of range " + min + "-" + max;
            throw error(key, number + problem);
        }
        return number.intValueExact();
    }

    private static boolean outside(BigInteger number, int min, int max) {
        return number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0;
    }

    private Path toPath(ConfigKey key, String value) throws ConfigException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw error(key, "'" + value + "' is not a valid path: " + e.getReason());
        }
    }

    /** Strips whitespace and one pair of matching quotes; {@code null} becomes empty. */
    static String unquote(String value) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.length() >= 2) {
            char first = stripped.charAt(0);
            if ((first == '"' || first == '\'') && stripped.charAt(stripped.length() - 1) == first) {
                return stripped.substring(1, stripped.length() - 1).strip();
            }
        }
        return stripped;
    }
}
