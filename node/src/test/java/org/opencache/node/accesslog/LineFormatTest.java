package org.opencache.node.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.opencache.common.json.Json;

/** The two line formats: nginx's combined with our four fields, and JSON with the same, named. */
class LineFormatTest {
    private static final ZoneId ZONE = ZoneId.of("-07:00");
    /** 2000-10-10T13:55:36.123-07:00, nginx's documentation's example time. */
    private static final long START = 971211336123L;

    private static AccessLogEntry miss() {
        return new AccessLogEntry("127.0.0.1", null, START, "GET", "/a?b=1", "HTTP/1.1", 200, 2326,
                "http://example.com/start", "curl/8.5.0", "OpenCache; fwd=miss; stored", "127.0.0.1:8080",
                12_345_678, 1_012_000_000);
    }

    @Test
    void combinedIsNginxsThenCacheStatusInstanceUpstreamAndTotalSeconds() {
        assertEquals("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a?b=1 HTTP/1.1\" 200 2326"
                + " \"http://example.com/start\" \"curl/8.5.0\" \"OpenCache; fwd=miss; stored\" \"127.0.0.1:8080\""
                + " 0.012 1.012", new CombinedLine(ZONE).line(miss()));
    }

    @Test
    void combinedWritesADashForWhatIsAbsentAndForNoUpstream() {
        AccessLogEntry hit = new AccessLogEntry("10.0.0.9", "alice", START, "HEAD", "/", "HTTP/1.0", 304, 0,
                null, "", null, null, -1, 999_999);
        assertEquals("10.0.0.9 - alice [10/Oct/2000:13:55:36 -0700] \"HEAD / HTTP/1.0\" 304 0 \"-\" \"-\" \"-\" \"-\""
                + " - 0.000", new CombinedLine(ZONE).line(hit));
    }

    @Test
    void combinedEscapesAsNginxDoes() {
        StringBuilder line = new StringBuilder();
        CombinedLine.appendEscaped(line, "a \"quoted\" \\ tab\there é €");
        assertEquals("a \\x22quoted\\x22 \\x5C tab\\x09here \\xE9 \\xE2\\x82\\xAC", line.toString());
    }

    @Test
    void jsonHasTheSameFieldsNamed() throws Exception {
        JsonNode line = Json.mapper().readTree(new JsonLine(ZONE).line(miss()));
        assertEquals("127.0.0.1", line.get("remote_addr").asText());
        assertTrue(line.get("remote_user").isNull());
        assertEquals("2000-10-10T13:55:36.123-07:00", line.get("time").asText());
        assertEquals("GET /a?b=1 HTTP/1.1", line.get("request").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals(2326, line.get("body_bytes_sent").asLong());
        assertEquals("http://example.com/start", line.get("http_referer").asText());
        assertEquals("curl/8.5.0", line.get("http_user_agent").asText());
        assertEquals("OpenCache; fwd=miss; stored", line.get("cache_status").asText());
        assertEquals("127.0.0.1:8080", line.get("instance").asText());
        assertEquals("0.012", line.get("upstream_time").decimalValue().toPlainString());
        assertEquals("1.012", line.get("total_time").decimalValue().toPlainString());
        assertEquals(12, line.size());
    }

    @Test
    void jsonHasNullForNoUpstreamAndEscapesText() throws Exception {
        AccessLogEntry odd = new AccessLogEntry("::1", null, START, "GET", "/\"x\"", "HTTP/1.1", 502, 80, null,
                "a\nb", "OpenCache; fwd=miss; detail=origin-unreachable", "[::1]:81", -1, 3_000_000);
        String text = new JsonLine(ZONE).line(odd);
        assertEquals(-1, text.indexOf('\n'), "one line");
        JsonNode line = Json.mapper().readTree(text);
        assertTrue(line.get("upstream_time").isNull());
        assertNull(line.get("http_referer").textValue());
        assertEquals("a\nb", line.get("http_user_agent").asText());
        assertEquals("GET /\"x\" HTTP/1.1", line.get("request").asText());
    }

    @Test
    void basicUserIsTheNameOfABasicCredential() {
        assertEquals("alice", AccessLog.basicUser("Basic YWxpY2U6c2VjcmV0")); // alice:secret
        assertEquals("alice", AccessLog.basicUser("basic YWxpY2U6c2VjcmV0"));
        assertNull(AccessLog.basicUser("Bearer abc"));
        assertNull(AccessLog.basicUser("Basic !!!"));
        assertNull(AccessLog.basicUser(null));
    }
}
