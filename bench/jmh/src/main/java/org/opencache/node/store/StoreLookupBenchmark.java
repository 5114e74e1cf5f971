package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's side of a hit: a lookup of a stored key, and a lookup plus reading the whole body
 * (what {@code ClientResponder.serveStored} does), over 10 000 objects all in the memory tier.
 * Two threads, like the two cores the end-to-end benchmark has.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class StoreLookupBenchmark {
    private static final int OBJECTS = 10_000;

    @Param({"1024", "102400"})
    public int bodyBytes;

    private Path dir;
    private TieredObjectStore store;
    private StoreKey[] keys;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("opencache-jmh");
        long bytes = (long) OBJECTS * bodyBytes;
        store = TieredObjectStore.open(dir, 2 * bytes, 2 * bytes, 0, 256, Clock.systemUTC());
        byte[] body = new byte[bodyBytes];
        keys = new StoreKey[OBJECTS];
        Instant now = Instant.now();
        for (int i = 0; i < OBJECTS; i++) {
            keys[i] = new StoreKey("127.0.0.1:18080", "http://127.0.0.1:18080/o/" + i);
            ObjectMeta meta = new ObjectMeta(200, List.of(Map.entry("Cache-Control", "max-age=3600")),
                    now, now, now.plusSeconds(3600), bodyBytes);
            StoreWriter writer = store.begin(keys[i], meta);
            writer.write(ByteBuffer.wrap(body));
            writer.commit();
        }
        for (StoreKey key : keys) {       // a disk hit loads the memory tier: start from there
            lookupAndRead(key);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Optional<StoredObject> lookup() {
        return store.lookup(keys[ThreadLocalRandom.current().nextInt(OBJECTS)]);
    }

    @Benchmark
    public long lookupAndRead() throws IOException {
        return lookupAndRead(keys[ThreadLocalRandom.current().nextInt(OBJECTS)]);
    }

    private long lookupAndRead(StoreKey key) throws IOException {
        StoredObject object = store.lookup(key).orElseThrow();
        try (InputStream body = object.openBody()) {
            return body.transferTo(OutputStreamSink.INSTANCE);
        }
    }

    /** Discards what it is given, like a socket that is never the bottleneck. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
