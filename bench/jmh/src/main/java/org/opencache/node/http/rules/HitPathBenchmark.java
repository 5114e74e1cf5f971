package org.opencache.node.http.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoreKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request work of a cache hit before any body byte is sent: the store key, the
 * freshness decision and the client's header fields. In the package of the classes it measures,
 * which are package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HitPathBenchmark {
    // What nginx sends for a static file, as the store keeps it.
    private final List<Map.Entry<String, String>> stored = List.of(
            Map.entry("Server", "nginx/1.22.1"),
            Map.entry("Date", "Mon, 23 Nov 2026 14:47:51 GMT"),
            Map.entry("Content-Type", "application/octet-stream"),
            Map.entry("Content-Length", "1024"),
            Map.entry("Last-Modified", "Mon, 23 Nov 2026 14:47:51 GMT"),
            Map.entry("Connection", "keep-alive"),
            Map.entry("ETag", "\"6570a3b7-400\""),
            Map.entry("Cache-Control", "public, max-age=3600"),
            Map.entry("Accept-Ranges", "bytes"));
    private final Instant now = Instant.parse("2026-11-23T14:48:00Z");
    private final ObjectMeta meta = new ObjectMeta(200, stored, now, now, now.plusSeconds(3600), 1024);
    private final CachePolicy policy = new CachePolicy(Clock.fixed(now.plusSeconds(5), java.time.ZoneOffset.UTC),
            Duration.ZERO);

    @Benchmark
    public StoreKey key() {
        return CacheKeys.key("127.0.0.1:18080", "127.0.0.1", 18080, "/static/app.js?v=42");
    }

    @Benchmark
    public boolean isFresh() {
        return policy.isFresh(meta);
    }

    @Benchmark
    public Duration currentAge() {
        return policy.currentAge(meta);
    }

    @Benchmark
    public HttpFields.Mutable clientFields() {
        return HeaderFields.toClientFields(meta.headers());
    }
}
