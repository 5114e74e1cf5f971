package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * The target list of RFC 9213 §2.1 ({@code targeted_cache_control}): the response fields, such as
 * {@code CDN-Cache-Control}, whose directives replace {@code Cache-Control} and {@code Expires}
 * for this cache. The first field of the list that a response carries with a valid value
 * governs; the rest of the list, and targeted fields not on it, change nothing.
 *
 * <p>Which field governs is decided when a response is stored (or freshened) and written into it
 * as an internal entry, so that the view parsed once per stored response ({@link StoredView}) is
 * a function of the stored fields alone. A second internal entry lists the fields of the target
 * list that clients are not sent ({@code targeted_cache_control_forward = false}): OpenCache is
 * the last cache of its class on the path, which RFC 9213 §3 lets remove them.
 *
 * <p>{@code Surrogate-Control} (W3C Edge Architecture Specification 1.0) may be on the list too,
 * by default last: it is read with its own Cache-Control-like syntax
 * ({@link CacheControl#parseSurrogate}), keeping the directives targeted at this cache's device
 * token ({@link #DEVICE_TOKEN}) and the untargeted ones; origins learn the token from the
 * {@code Surrogate-Capability} field the cache adds to its requests ({@link #announce}).
 */
final class TargetedFields {
    /** The internal entry naming, in lower case, the targeted field whose directives govern. */
    static final String GOVERNING = ":targeted";
    /** The internal entry listing, in lower case, the fields clients are not sent. */
    static final String UNFORWARDED = ":unforwarded";

    /** The device token this cache answers to in {@code Surrogate-Control} ("Surrogate-Capability Header"). */
    static final String DEVICE_TOKEN = "opencache";
    /** The {@code Surrogate-Capability} field value: this surrogate speaks the base Edge Architecture. */
    static final String CAPABILITY = DEVICE_TOKEN + "=\"Surrogate/1.0\"";

    private static final String SURROGATE_CONTROL = "surrogate-control";
    private static final String SURROGATE_CAPABILITY = "Surrogate-Capability";

    private final List<String> names;
    private final boolean forward;

    /**
     * @param names   the target list, most applicable first (any case); empty: no targeted field
     * @param forward whether clients are sent the fields of the list
     */
    TargetedFields(List<String> names, boolean forward) {
        this.names = names.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
        this.forward = forward;
    }

    /**
     * A response's fields with the internal entries of this target list: which field governs,
     * and which fields clients are not sent. Internal entries of an earlier decision (the fields
     * of a stored response that a 304 freshens) are replaced.
     */
    List<Map.Entry<String, String>> annotate(List<Map.Entry<String, String>> entries) {
        List<Map.Entry<String, String>> annotated = new ArrayList<>(entries.size() + 2);
        for (Map.Entry<String, String> entry : entries) {
            if (!entry.getKey().equals(GOVERNING) && !entry.getKey().equals(UNFORWARDED)) {
                annotated.add(entry);
            }
        }
        Set<String> present = new LinkedHashSet<>();
        String governing = null;
        for (String name : names) {
            List<String> values = HeaderFields.values(annotated, name);
            if (values.isEmpty()) {
                continue;
            }
            present.add(name);
            if (governing == null && parse(name, values).isPresent()) {
                governing = name;
            }
        }
        if (governing != null) {
            annotated.add(Map.entry(GOVERNING, governing));
        }
        if (!forward && !present.isEmpty()) {
            annotated.add(Map.entry(UNFORWARDED, String.join(",", present)));
        }
        return annotated;
    }

    /** The directives of a stored response's governing targeted field; empty when none governs. */
    static Optional<CacheControl> directives(List<Map.Entry<String, String>> stored) {
        String governing = first(stored, GOVERNING);
        return governing == null ? Optional.empty() : parse(governing, HeaderFields.values(stored, governing));
    }

    // Surrogate-Control has a syntax of its own; every other targeted field is a Structured Field.
    private static Optional<CacheControl> parse(String lowerCaseName, List<String> values) {
        return lowerCaseName.equals(SURROGATE_CONTROL) ? CacheControl.parseSurrogate(values, DEVICE_TOKEN)
                : CacheControl.parseTargeted(values);
    }

    /**
     * Adds this surrogate's {@code Surrogate-Capability} member to a request for the origin when
     * {@code Surrogate-Control} is on the list, so that the origin can target directives at it;
     * members of caches before this one are kept (Edge Architecture, "Surrogate-Capability Header").
     */
    void announce(HttpFields.Mutable originFields) {
        if (names.contains(SURROGATE_CONTROL)) {
            originFields.add(SURROGATE_CAPABILITY, CAPABILITY);
        }
    }

    /** Whether a targeted field governs a stored response. */
    static boolean governs(List<Map.Entry<String, String>> stored) {
        return first(stored, GOVERNING) != null;
    }

    /** The lower-case names of a stored response's fields that clients are not sent. */
    static List<String> unforwarded(List<Map.Entry<String, String>> stored) {
        String list = first(stored, UNFORWARDED);
        return list == null ? List.of() : List.of(list.split(","));
    }

    /** Whether a field is on the target list. */
    boolean listed(String lowerCaseName) {
        return names.contains(lowerCaseName);
    }

    /** The fields of a response from the origin as a client is sent them: without the list's, unless forwarded. */
    HttpFields toClient(HttpFields fields) {
        if (forward || names.isEmpty() || names.stream().noneMatch(fields::contains)) {
            return fields;
        }
        HttpFields.Mutable kept = HttpFields.build(fields.size());
        for (HttpField field : fields) {
            if (!names.contains(field.getLowerCaseName())) {
                kept.add(field);
            }
        }
        return kept;
    }

    private static String first(List<Map.Entry<String, String>> entries, String name) {
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
