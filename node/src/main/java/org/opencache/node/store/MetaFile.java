package org.opencache.node.store;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencache.common.json.Json;

/**
 * The JSON form of one key's metadata file. Instants are ISO-8601 strings (exact to the
 * nanosecond, and readable when an operator looks inside); header fields are {@code [name,
 * value]} pairs so that order and repeated names survive. A sample:
 *
 * <pre>
 * {"version":1,"instance":"example.com","key":"GET http://example.com/a.png",
 *  "body":"c04d5e0f9a2b4c1d8e7f6a5b4c3d2e1f","used":"2025-01-01T10:00:00Z","status":200,
 *  "headers":[["Content-Type","image/png"],["ETag","\"x1\""]],
 *  "requestTime":"2025-01-01T09:59:59.900Z","responseTime":"2025-01-01T10:00:00Z",
 *  "expires":"2025-01-01T11:00:00Z","bodyLength":5120}
 * </pre>
 *
 * @param version      the format version, {@value #VERSION}
 * @param instance     the key's instance
 * @param key          the cache key
 * @param body         the body id
 * @param used         when the key was last written; orders the eviction policy after a restart
 * @param status       {@link ObjectMeta#status()}
 * @param headers      {@link ObjectMeta#headers()}
 * @param requestTime  {@link ObjectMeta#requestTime()}
 * @param responseTime {@link ObjectMeta#responseTime()}
 * @param expires      {@link ObjectMeta#expires()}
 * @param bodyLength   {@link ObjectMeta#bodyLength()}, always the real length
 */
record MetaFile(
        int version,
        String instance,
        String key,
        String body,
        String used,
        int status,
        List<List<String>> headers,
        String requestTime,
        String responseTime,
        String expires,
        long bodyLength) {

    /** The current format version; a file of another version is treated as corrupt. */
    static final int VERSION = 1;

    /** The file form of {@code entry}, last written at {@code used}. */
    static MetaFile of(IndexEntry entry, Instant used) {
        ObjectMeta meta = entry.meta();
        List<List<String>> headers = new ArrayList<>(meta.headers().size());
        for (Map.Entry<String, String> field : meta.headers()) {
            headers.add(List.of(field.getKey(), field.getValue()));
        }
        return new MetaFile(VERSION, entry.key().instance(), entry.key().key(), entry.body().id(),
                used.toString(), meta.status(), headers, text(meta.requestTime()),
                text(meta.responseTime()), text(meta.expires()), entry.body().length());
    }

    /** Reads and checks a metadata file; an {@link IOException} says why it is unusable. */
    static MetaFile read(Path file) throws IOException {
        MetaFile meta;
        try {
            meta = Json.mapper().readValue(Files.readAllBytes(file), MetaFile.class);
        } catch (JacksonException e) {
            throw new IOException("not a metadata file: " + e.getOriginalMessage(), e);
        }
        if (meta == null || meta.version != VERSION || meta.instance == null || meta.key == null
                || meta.body == null || !meta.body.matches("[0-9a-f]{32}") || meta.headers == null
                || meta.bodyLength < 0 || meta.used == null) {
            throw new IOException("incomplete metadata file");
        }
        return meta;
    }

    /** The JSON bytes to write. */
    byte[] toBytes() throws IOException {
        return Json.mapper().writeValueAsBytes(this);
    }

    /** The key this file describes. */
    StoreKey storeKey() {
        return new StoreKey(instance, key);
    }

    /** The metadata as the store serves it. */
    ObjectMeta toMeta() throws IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>(headers.size());
        for (List<String> pair : headers) {
            if (pair == null || pair.size() != 2 || pair.get(0) == null || pair.get(1) == null) {
                throw new IOException("header field is not a [name, value] pair: " + pair);
            }
            fields.add(Map.entry(pair.get(0), pair.get(1)));
        }
        return new ObjectMeta(status, fields, instant(requestTime), instant(responseTime),
                instant(expires), bodyLength);
    }

    /** When the key was last written. */
    Instant usedAt() throws IOException {
        return instant(used);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) throws IOException {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IOException("not an instant: " + text, e);
        }
    }
}
