package org.opencache.node.accesslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * nginx's {@code combined} format,
 * {@code $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"},
 * followed by {@code "Cache-Status" "instance" upstream-seconds total-seconds}. Text is escaped as
 * nginx escapes it: {@code "}, {@code \} and bytes outside printable ASCII become {@code \xHH}; an
 * absent value is {@code -}, and so is the upstream time of a request the origin never saw.
 * Not thread-safe (it keeps the last second's time text).
 */
final class CombinedLine implements LineFormat {
    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ZoneId zone;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    CombinedLine() {
        this(ZoneId.systemDefault());
    }

    CombinedLine(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void append(AccessLogEntry e, StringBuilder line) {
        line.append(text(e.remoteAddr())).append(" - ");
        appendEscaped(line, e.remoteUser());
        line.append(" [").append(timeLocal(e.startMillis())).append("] \"");
        appendEscaped(line, e.requestLine());
        line.append("\" ").append(e.status()).append(' ').append(e.bodyBytes()).append(" \"");
        appendEscaped(line, e.referer());
        line.append("\" \"");
        appendEscaped(line, e.userAgent());
        line.append("\" \"");
        appendEscaped(line, e.cacheStatus());
        line.append("\" \"");
        appendEscaped(line, e.instance());
        line.append("\" ").append(e.upstreamNanos() < 0 ? "-" : AccessLogEntry.seconds(e.upstreamNanos()))
                .append(' ').append(AccessLogEntry.seconds(e.totalNanos()));
    }

    // Most lines of a busy log share their second with the line before.
    private String timeLocal(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            cachedTime = TIME_LOCAL.format(Instant.ofEpochSecond(second).atZone(zone));
            cachedSecond = second;
        }
        return cachedTime;
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** nginx's default log escaping; an absent or empty value is {@code -}. */
    static void appendEscaped(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                line.append(c);
            } else if (c < 0x100) {
                hex(line, c);
            } else {
                // A field Jetty decoded beyond Latin-1: its UTF-8 bytes, each escaped.
                int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
                for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    hex(line, b & 0xff);
                }
                i = end - 1;
            }
        }
    }

    private static void hex(StringBuilder line, int b) {
        line.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }
}
