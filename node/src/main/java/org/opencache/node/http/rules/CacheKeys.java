package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoreKey;

/**
 * How a request finds its stored response: the primary key, and the {@code Vary} check that
 * decides whether the stored variant fits (RFC 9111 §4.1).
 *
 * <p>The primary key is {@code http://host:port/path?query}, the same for GET and HEAD, so a
 * HEAD is answered from a stored GET. The request field values that a stored response's
 * {@code Vary} names are kept with it as internal entries (named {@code :vary:<field>}, which no
 * real field can be called, and never sent to clients); {@link Variants} stores several variants
 * of one URL side by side under secondary keys built from them. {@code Vary: *} never matches,
 * so such responses are not stored at all.
 */
public final class CacheKeys {
    /** What the internal entries that record a variant's request values start with. */
    public static final String VARY_PREFIX = ":vary:";

    private CacheKeys() {
    }

    /**
     * The key of a URL within an instance. The host is lower-cased and loses a trailing dot, so
     * the spellings a Host field may use agree with a canonical {@code ResolvedUrl} host.
     */
    public static StoreKey key(String instance, String host, int port, String pathAndQuery) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return new StoreKey(instance, "http://" + name.toLowerCase(Locale.ROOT) + ":" + port + pathAndQuery);
    }

    /**
     * The key of a URL's parts record ({@link StoredParts}): what 206 responses for it the store
     * holds. Like a variant's key, the URL's key, a space and a suffix, so a purge of the URL
     * takes it too ({@code PurgeMatch}).
     */
    public static StoreKey partsKey(StoreKey primary) {
        return new StoreKey(primary.instance(), primary.key() + " parts");
    }

    /** The key of one stored part of a URL's representation ({@link StoredParts.Part#id()}). */
    public static StoreKey partKey(StoreKey primary, String id) {
        return new StoreKey(primary.instance(), primary.key() + " part " + id);
    }

    /** Whether a stored entry is one of ours rather than a field received from the origin. */
    static boolean isInternal(String fieldName) {
        return fieldName.startsWith(":");
    }

    /** The lower-case field names a response's {@code Vary} lists (possibly {@code *}). */
    static Set<String> varyNames(List<Map.Entry<String, String>> responseFields) {
        Set<String> names = new LinkedHashSet<>();
        for (String value : HeaderFields.values(responseFields, HttpHeader.VARY.asString())) {
            for (String name : value.split(",")) {
                String trimmed = name.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    names.add(trimmed);
                }
            }
        }
        return names;
    }

    /**
     * The internal entries that record which variant a response is: for each field its
     * {@code Vary} names, the request's value (absent fields get no entry).
     */
    public static List<Map.Entry<String, String>> variantEntries(List<Map.Entry<String, String>> responseFields,
            HttpFields requestFields) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String name : varyNames(responseFields)) {
            String value = requestValue(requestFields, name);
            if (value != null) {
                entries.add(Map.entry(VARY_PREFIX + name, value));
            }
        }
        return entries;
    }

    /** Whether the stored variant is the one this request selects. */
    public static boolean variantMatches(ObjectMeta stored, HttpFields requestFields) {
        for (String name : varyNames(stored.headers())) {
            if (name.equals("*")) {
                return false;
            }
            if (!Objects.equals(stored.header(VARY_PREFIX + name), requestValue(requestFields, name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #variantMatches(ObjectMeta, HttpFields)}, given the request's {@link #variantEntries}
     * for the {@code Vary} names {@code names}: a lookup has them already for the variant's key,
     * and need not normalise the request's values twice. A variant that varies on other names
     * (a 304 may have changed its {@code Vary}) is compared with the request itself.
     */
    static boolean variantMatches(ObjectMeta stored, Set<String> names, List<Map.Entry<String, String>> requestEntries,
            HttpFields requestFields) {
        Set<String> storedNames = varyNames(stored.headers());
        if (!storedNames.equals(names)) {
            return variantMatches(stored, requestFields);
        }
        for (String name : storedNames) {
            if (name.equals("*")) {
                return false;
            }
            String entry = VARY_PREFIX + name;
            String requested = null;
            for (Map.Entry<String, String> candidate : requestEntries) {
                if (candidate.getKey().equals(entry)) {
                    requested = candidate.getValue();
                    break;
                }
            }
            if (!Objects.equals(stored.header(entry), requested)) {
                return false;
            }
        }
        return true;
    }

    // The normal form of the request's values ({@link SelectingFields}), or null when it has none.
    private static String requestValue(HttpFields requestFields, String name) {
        List<String> values = requestFields.getValuesList(name);
        return values.isEmpty() ? null : SelectingFields.normalise(name, values);
    }
}
