package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one normal form of a request's values of a field that a stored response's {@code Vary}
 * names (the "selecting header fields" of RFC 9111 §4.1), so that values meaning the same select
 * the same variant. Every field: its field lines combined (RFC 9110 §5.3) and the whitespace
 * around commas dropped. The weighted lists whose syntax RFC 9110 §12.5 defines
 * ({@code Accept}, {@code Accept-Charset}, {@code Accept-Encoding}, {@code Accept-Language})
 * further: empty members dropped (§5.6.1), the case-insensitive parts lower-cased (codings §8.4.1,
 * charsets §8.3.2, language tags RFC 4647 §2, media types and parameter names §8.3.1),
 * whitespace around {@code ;} and {@code =} dropped, the weight written one way ({@code q=0.50}
 * is {@code q=0.5}, {@code q=1} is no weight, §12.4.2) and the members ordered by weight, members
 * of equal weight alphabetically, since only the weight ranks them.
 *
 * <p>Parameter values are kept as sent (a media type's may be case-sensitive); a member with a
 * quoted string is compared as sent, apart from the whitespace around it. Runs on every hit of a
 * response that varies on one of these fields, so recent values' normal forms are remembered.
 */
final class SelectingFields {
    /** The weighted lists, each with the normal forms of its recent single-line values. */
    private static final Map<String, ConcurrentMap<String, String>> WEIGHTED_LISTS = Map.of(
            "accept", new ConcurrentHashMap<>(), "accept-charset", new ConcurrentHashMap<>(),
            "accept-encoding", new ConcurrentHashMap<>(), "accept-language", new ConcurrentHashMap<>());

    // Clients send few distinct values (one per browser build and locale), so a hit on a response
    // that varies on them finds the normal form here instead of parsing again (an Accept of six
    // members costs microseconds). Bounded against clients that send a new value every time: at
    // most this many values a field, of at most this length, forgotten all at once when full.
    private static final int REMEMBERED_VALUES = 256;
    private static final int REMEMBERED_LENGTH = 256;

    /** A weight of 1 in thousandths: the weight of a member that states none. */
    private static final int FULL_WEIGHT = 1000;

    private static final Comparator<Member> ORDER =
            Comparator.comparingInt(Member::weight).reversed().thenComparing(Member::text);

    private SelectingFields() {
    }

    /**
     * The normal form of a field's values.
     *
     * @param name   the field's name, lower case
     * @param values its field line values, in order; not empty
     */
    static String normalise(String name, List<String> values) {
        ConcurrentMap<String, String> remembered = WEIGHTED_LISTS.get(name);
        if (remembered == null || values.size() != 1 || values.get(0).length() > REMEMBERED_LENGTH) {
            return parse(name, values, remembered != null);
        }
        String value = values.get(0);
        String normal = remembered.get(value);
        if (normal == null) {
            normal = isPlain(value) ? plainList(value) : parse(name, values, true);
            if (remembered.size() >= REMEMBERED_VALUES) {
                remembered.clear();
            }
            remembered.put(value, normal);
        }
        return normal;
    }

    private static String parse(String name, List<String> values, boolean weighted) {
        List<Member> members = new ArrayList<>();
        for (String value : values) {
            for (String member : CacheControl.splitOutsideQuotes(value)) {
                String stripped = member.strip();
                if (!weighted) {
                    members.add(new Member(stripped, FULL_WEIGHT));
                } else if (!stripped.isEmpty()) {
                    members.add(weightedMember(stripped, name.equals("accept")));
                }
            }
        }
        if (weighted) {
            members.sort(ORDER);
        }
        StringBuilder normal = new StringBuilder();
        for (Member member : members) {
            if (!normal.isEmpty()) {
                normal.append(", ");
            }
            normal.append(member.text());
        }
        return normal.toString();
    }

    // Lower-case members without parameters or quotes, the usual Accept-Encoding: all of weight 1.
    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' || c == '"' || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    // The normal form of a plain list: what the general path makes of it, with less work on a hit.
    private static String plainList(String value) {
        List<String> members = new ArrayList<>();
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String member = value.substring(start, end).strip();
            if (!member.isEmpty()) {
                members.add(member);
            }
            start = end + 1;
        }
        members.sort(null);
        return String.join(", ", members);
    }

    /** One member of a list: its normal text, with its weight written last, and its weight in thousandths. */
    private record Member(String text, int weight) {
    }

    // value *( OWS ";" OWS name=value ), one of them perhaps the weight.
    private static Member weightedMember(String member, boolean mediaRange) {
        if (member.indexOf('"') >= 0) {
            return new Member(member, FULL_WEIGHT);
        }
        String[] parts = member.split(";", -1);
        String value = parts[0].strip();
        // A media range's parameters may be case-sensitive, its type and subtype are not; every
        // other weighted list holds case-insensitive tokens.
        StringBuilder text = new StringBuilder(value.toLowerCase(Locale.ROOT));
        int weight = FULL_WEIGHT;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (parameter.isEmpty()) {
                continue;
            }
            String parameterName = (equals < 0 ? parameter : parameter.substring(0, equals)).strip()
                    .toLowerCase(Locale.ROOT);
            String parameterValue = equals < 0 ? null : parameter.substring(equals + 1).strip();
            int parsedWeight = parameterName.equals("q") ? weight(parameterValue) : -1;
            if (parsedWeight >= 0) {
                weight = parsedWeight;
                continue;
            }
            text.append(';').append(parameterName);
            if (parameterValue != null) {
                text.append('=').append(mediaRange ? parameterValue : parameterValue.toLowerCase(Locale.ROOT));
            }
        }
        if (weight != FULL_WEIGHT) {
            text.append(";q=").append(formatWeight(weight));
        }
        return new Member(text.toString(), weight);
    }

    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 9110 §12.4.2), in
    // thousandths; -1 when it is not one, and the parameter is then kept as sent.
    private static int weight(String value) {
        if (value == null || value.isEmpty() || value.length() > 5 || (value.charAt(0) != '0' && value.charAt(0) != '1')) {
            return -1;
        }
        int thousandths = (value.charAt(0) - '0') * FULL_WEIGHT;
        if (value.length() > 1) {
            if (value.charAt(1) != '.') {
                return -1;
            }
            int scale = 100;
            for (int i = 2; i < value.length(); i++, scale /= 10) {
                char digit = value.charAt(i);
                if (digit < '0' || digit > '9') {
                    return -1;
                }
                thousandths += (digit - '0') * scale;
            }
        }
        return thousandths > FULL_WEIGHT ? -1 : thousandths;
    }

    private static String formatWeight(int thousandths) {
        if (thousandths == 0) {
            return "0";
        }
        String digits = String.format(Locale.ROOT, "%03d", thousandths);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return "0." + digits.substring(0, end);
    }
}
