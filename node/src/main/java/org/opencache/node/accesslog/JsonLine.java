package org.opencache.node.accesslog;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.opencache.common.json.Json;

/**
 * One JSON object per line with the fields of {@link CombinedLine}, named after nginx's variables:
 * {@code remote_addr}, {@code remote_user}, {@code time} (ISO 8601 with milliseconds and offset),
 * {@code request}, {@code status}, {@code body_bytes_sent}, {@code http_referer},
 * {@code http_user_agent}, {@code cache_status}, {@code instance}, {@code upstream_time} and
 * {@code total_time} (seconds, millisecond resolution). An absent value is {@code null}.
 */
final class JsonLine implements LineFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final ZoneId zone;

    JsonLine() {
        this(ZoneId.systemDefault());
    }

    JsonLine(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void append(AccessLogEntry e, StringBuilder out) {
        StringWriter line = new StringWriter(320);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("remote_addr", e.remoteAddr());
            json.writeStringField("remote_user", e.remoteUser());
            json.writeStringField("time", TIME.format(Instant.ofEpochMilli(e.startMillis()).atZone(zone)));
            json.writeStringField("request", e.requestLine());
            json.writeNumberField("status", e.status());
            json.writeNumberField("body_bytes_sent", e.bodyBytes());
            json.writeStringField("http_referer", e.referer());
            json.writeStringField("http_user_agent", e.userAgent());
            json.writeStringField("cache_status", e.cacheStatus());
            json.writeStringField("instance", e.instance());
            json.writeFieldName("upstream_time");
            if (e.upstreamNanos() < 0) {
                json.writeNull();
            } else {
                json.writeNumber(new BigDecimal(AccessLogEntry.seconds(e.upstreamNanos())));
            }
            json.writeNumberField("total_time", new BigDecimal(AccessLogEntry.seconds(e.totalNanos())));
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible); // a StringWriter does not fail
        }
        out.append(line.getBuffer());
    }
}
