package org.opencache.node.http.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parser of a Dictionary Structured Field (RFC 8941 §4.2.2), the syntax of the targeted cache
 * control fields of RFC 9213 §2.2. It only says which members there are and the type and value of
 * each; what they mean as cache directives is {@link CacheControl#parseTargeted}'s business.
 * Parameters and inner lists are checked for syntax and dropped (RFC 9213 §2.2 ignores them).
 */
final class StructuredDictionary {
    /** RFC 8941 §3.3.1: at most fifteen digits. */
    private static final int MAX_INTEGER_DIGITS = 15;

    /** The type of a member's value; an inner list counts as {@link #OTHER}. */
    enum Type { INTEGER, DECIMAL, STRING, TOKEN, BYTES, BOOLEAN, OTHER }

    /**
     * A member's value.
     *
     * @param type its type
     * @param text an integer's digits (with a leading {@code -} when negative), a string's
     *             unescaped characters, a token; {@code "?1"} or {@code "?0"} for a boolean
     */
    record Item(Type type, String text) {
        static final Item TRUE = new Item(Type.BOOLEAN, "?1");

        /** Whether this is the boolean {@code true}, a member written without a value. */
        boolean isTrue() {
            return type == Type.BOOLEAN && text.equals("?1");
        }
    }

    private final String input;
    private int at;

    private StructuredDictionary(String input) {
        this.input = input;
    }

    /**
     * The members of a field value (its lines already joined with commas), in order; a repeated
     * key keeps the first position and the last value (RFC 8941 §4.2.2). Empty when the value
     * does not parse: the whole field is then invalid.
     */
    static Optional<Map<String, Item>> parse(String fieldValue) {
        try {
            return Optional.of(new StructuredDictionary(fieldValue).dictionary());
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    private Map<String, Item> dictionary() {
        Map<String, Item> members = new LinkedHashMap<>();
        skip(' ');
        while (at < input.length()) {
            String key = key();
            Item value;
            if (peek() == '=') {
                at++;
                value = peek() == '(' ? innerList() : bareItem();
            } else {
                value = Item.TRUE;
            }
            parameters();
            members.put(key, value);
            skipWhitespace();
            if (at == input.length()) {
                break;
            }
            expect(',');
            skipWhitespace();
            if (at == input.length()) {
                throw new IllegalArgumentException("a trailing comma");
            }
        }
        if (at < input.length()) {
            throw new IllegalArgumentException("trailing characters");
        }
        return members;
    }

    // RFC 8941 §4.2.3.3: lcalpha or '*', then lcalpha, digits, '_', '-', '.', '*'.
    private String key() {
        char first = peek();
        if (!(first >= 'a' && first <= 'z' || first == '*')) {
            throw new IllegalArgumentException("a key must start with a lower-case letter or *");
        }
        int start = at++;
        while (at < input.length()) {
            char c = input.charAt(at);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*')) {
                break;
            }
            at++;
        }
        return input.substring(start, at);
    }

    private void parameters() {
        while (peek() == ';') {
            at++;
            skip(' ');
            key();
            if (peek() == '=') {
                at++;
                bareItem();
            }
        }
    }

    // RFC 8941 §4.2.1.2: '(' items separated by spaces ')', then parameters.
    private Item innerList() {
        expect('(');
        while (true) {
            skip(' ');
            if (peek() == ')') {
                at++;
                return new Item(Type.OTHER, "");
            }
            bareItem();
            parameters();
            char next = peek();
            if (next != ' ' && next != ')') {
                throw new IllegalArgumentException("inner list members are separated by spaces");
            }
        }
    }

    private Item bareItem() {
        char c = peek();
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return token();
        }
        if (c == ':') {
            return bytes();
        }
        if (c == '?') {
            return bool();
        }
        throw new IllegalArgumentException("not an item");
    }

    // RFC 8941 §4.2.4: an Integer of up to 15 digits, or a Decimal of up to 12.3 digits.
    private Item number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        int digitsStart = at;
        int dot = -1;
        while (at < input.length()) {
            char c = input.charAt(at);
            if (c == '.' && dot < 0) {
                dot = at;
            } else if (c < '0' || c > '9') {
                break;
            }
            at++;
        }
        if (dot < 0) {
            int digits = at - digitsStart;
            if (digits == 0 || digits > MAX_INTEGER_DIGITS) {
                throw new IllegalArgumentException("not an integer");
            }
            return new Item(Type.INTEGER, input.substring(start, at));
        }
        int whole = dot - digitsStart;
        int fraction = at - dot - 1;
        if (whole == 0 || whole > 12 || fraction == 0 || fraction > 3) {
            throw new IllegalArgumentException("not a decimal");
        }
        return new Item(Type.DECIMAL, input.substring(start, at));
    }

    // RFC 8941 §4.2.5: printable ASCII, with \" and \\ the only escapes.
    private Item string() {
        expect('"');
        StringBuilder text = new StringBuilder();
        while (at < input.length()) {
            char c = input.charAt(at++);
            if (c == '\\') {
                char escaped = peek();
                if (escaped != '"' && escaped != '\\') {
                    throw new IllegalArgumentException("a bad escape");
                }
                text.append(escaped);
                at++;
            } else if (c == '"') {
                return new Item(Type.STRING, text.toString());
            } else if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not printable ASCII");
            } else {
                text.append(c);
            }
        }
        throw new IllegalArgumentException("an unterminated string");
    }

    // RFC 8941 §4.2.6: ALPHA or '*', then tchar, ':' and '/'.
    private Item token() {
        int start = at++;
        while (at < input.length()) {
            char c = input.charAt(at);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0)) {
                break;
            }
            at++;
        }
        return new Item(Type.TOKEN, input.substring(start, at));
    }

    // RFC 8941 §4.2.7: ':' base64 ':'.
    private Item bytes() {
        expect(':');
        int start = at;
        while (at < input.length() && input.charAt(at) != ':') {
            char c = input.charAt(at);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "+/=".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("not base64");
            }
            at++;
        }
        expect(':');
        return new Item(Type.BYTES, input.substring(start, at - 1));
    }

    // RFC 8941 §4.2.8: ?0 or ?1.
    private Item bool() {
        expect('?');
        char c = peek();
        if (c != '0' && c != '1') {
            throw new IllegalArgumentException("not a boolean");
        }
        at++;
        return new Item(Type.BOOLEAN, "?" + c);
    }

    private char peek() {
        return at < input.length() ? input.charAt(at) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        at++;
    }

    private void skip(char c) {
        while (at < input.length() && input.charAt(at) == c) {
            at++;
        }
    }

    // OWS: spaces and horizontal tabs.
    private void skipWhitespace() {
        while (at < input.length() && (input.charAt(at) == ' ' || input.charAt(at) == '\t')) {
            at++;
        }
    }
}
