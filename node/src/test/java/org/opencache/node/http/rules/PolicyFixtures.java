package org.opencache.node.http.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.opencache.node.store.ObjectMeta;

/** Builds the stored responses the policy unit tests judge. */
public final class PolicyFixtures {
    private PolicyFixtures() {
    }

    /** A response received at {@code at} (sent then too), with field name/value pairs. */
    public static ObjectMeta response(Instant at, int status, String... nameValues) {
        return new ObjectMeta(status, fields(nameValues), at, at, Instant.MAX, 0);
    }

    /** Field name/value pairs as the store keeps them. */
    public static List<Map.Entry<String, String>> fields(String... nameValues) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return fields;
    }

    /** Request or response fields from name/value pairs. */
    public static HttpFields httpFields(String... nameValues) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(nameValues[i], nameValues[i + 1]);
        }
        return fields;
    }

    /** An IMF-fixdate. */
    public static String date(Instant instant) {
        return HeaderFields.formatDate(instant);
    }
}
