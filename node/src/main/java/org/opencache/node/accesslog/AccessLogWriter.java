package org.opencache.node.accesslog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines to a file from a bounded queue, on one thread of its own, so that a
 * request never waits for the disk: {@link #offer} never blocks, and a line that finds the queue
 * full is dropped and counted ({@link #dropped()}), with a WARN at most once a minute.
 *
 * <p>Jetty's {@code AsyncRequestLogWriter} also drops rather than blocks, but counts nothing,
 * warns once for the life of the process, and writes through a date-rolling file that cannot be
 * reopened on a signal, which is what {@code logrotate} needs ({@link #reopen()}).
 *
 * <p>Lines are formatted on the writer's thread and written through a buffer that is flushed
 * whenever the queue runs empty; after a batch that did not fill, the writer lets lines gather for
 * 10 ms, so a busy node costs it about a hundred wake-ups and writes a second rather than one
 * per request, and an idle log is complete on disk within those 10 ms.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    /** The default queue: 64 Ki lines, about 20 MiB of entries at most. */
    public static final int DEFAULT_CAPACITY = 64 * 1024;
    static final Duration WARN_INTERVAL = Duration.ofMinutes(1);
    private static final int BATCH = 1024;
    /** How long the writer lets lines gather after a batch that did not fill. */
    private static final Duration LINGER = Duration.ofMillis(10);
    private static final int BUFFER_CHARS = 64 * 1024;
    /** Wakes the writer for a reopen or the close; not a line. */
    private static final AccessLogEntry WAKE = new AccessLogEntry(null, null, 0, null, null, null, 0, 0, null, null,
            null, null, -1, 0);

    private final Path file;
    private final LineFormat format;
    private final BlockingQueue<AccessLogEntry> queue;
    private final Queue<CompletableFuture<Void>> reopens = new ConcurrentLinkedQueue<>();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    private final Thread thread;
    private volatile boolean closing;
    private Writer out; // the writer thread's, once started

    private AccessLogWriter(Path file, LineFormat format, int capacity) throws IOException {
        this.file = file;
        this.format = format;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = open(file);
        this.thread = Thread.ofPlatform().name("access-log").daemon().unstarted(this::run);
    }

    /**
     * Opens (appending to) {@code file} and starts the writer thread.
     *
     * @param capacity the most lines waiting to be written; more are dropped
     * @throws IOException when the file cannot be opened for appending
     */
    static AccessLogWriter start(Path file, LineFormat format, int capacity) throws IOException {
        AccessLogWriter writer = new AccessLogWriter(file, format, capacity);
        writer.thread.start();
        return writer;
    }

    /** Queues a line, or counts it dropped when the queue is full or the log closed; never blocks. */
    void offer(AccessLogEntry entry) {
        if (closing || !queue.offer(entry)) {
            drop(1);
        }
    }

    /** {@return how many lines were not written: the queue was full, or the file failed} */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Closes the file and opens it again by its name, as {@code logrotate} needs after renaming
     * it. Lines queued after this call go to the new file; none are lost. If the file cannot be
     * opened again, the log keeps writing to the old one and the future fails.
     *
     * @return completes once lines go to the reopened file
     */
    public CompletableFuture<Void> reopen() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        reopens.add(done);
        // A full queue needs no wake-up: the writer is busy and looks after its next batch.
        queue.offer(WAKE);
        return done;
    }

    private void drop(long lines) {
        dropped.add(lines);
        long now = System.nanoTime();
        long next = nextWarnNanos.get();
        if (now - next >= 0 && nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL.toNanos())) {
            LOG.warn("access log {}: {} lines dropped so far (the writer cannot keep up, or the file fails);"
                    + " this is logged at most once a minute, the count is opencache_access_log_dropped_total",
                    file, dropped.sum());
        }
    }

    private void run() {
        List<AccessLogEntry> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(BUFFER_CHARS);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                // Checked after the batch is taken: a line queued after reopen() is in this batch
                // only if reopen() came first, so it goes to the new file.
                reopenIfAsked();
                write(batch, text);
                boolean full = batch.size() == BATCH;
                batch.clear();
                // Read before looking at the queue: every line offered before close() is in it by
                // then, so an empty queue means all were written (read after the flush, it let a
                // close that came during the flush end the log with lines still queued).
                boolean closed = closing;
                if (queue.isEmpty()) {
                    flush();
                    if (closed) {
                        break;
                    }
                }
                if (!full && !closed && reopens.isEmpty()) {
                    // Let lines gather rather than wake for each one: a wake-up and a write(2) per
                    // request cost a busy node more than the lines themselves.
                    Thread.sleep(LINGER);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("access log {}: closing: {}", file, e.toString());
            }
            IOException closed = new IOException("the access log is closed");
            for (CompletableFuture<Void> next; (next = reopens.poll()) != null; ) {
                next.completeExceptionally(closed);
            }
        }
    }

    private void write(List<AccessLogEntry> batch, StringBuilder text) {
        long lines = 0;
        text.setLength(0);
        for (AccessLogEntry entry : batch) {
            if (entry == WAKE) {
                continue;
            }
            int start = text.length();
            try {
                format.append(entry, text);
                text.append('\n');
                lines++;
            } catch (RuntimeException e) {
                text.setLength(start);
                LOG.debug("access log {}: formatting failed", file, e);
                drop(1);
            }
        }
        try {
            out.append(text);
        } catch (IOException e) {
            // The batch is lost; later batches try again (a full disk may have room then).
            LOG.debug("access log {}: writing failed", file, e);
            drop(lines);
        }
        if (text.capacity() > 4 * BUFFER_CHARS) {
            text.setLength(0);
            text.trimToSize();
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            LOG.debug("access log {}: flushing failed", file, e);
        }
    }

    private void reopenIfAsked() {
        if (reopens.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> asked = new ArrayList<>();
        for (CompletableFuture<Void> next; (next = reopens.poll()) != null; ) {
            asked.add(next);
        }
        Writer reopened;
        try {
            reopened = open(file);
        } catch (IOException e) {
            LOG.warn("access log {}: cannot reopen ({}); still writing to the file open before", file, e.toString());
            asked.forEach(done -> done.completeExceptionally(e));
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("access log {}: closing the file before reopening: {}", file, e.toString());
        }
        out = reopened;
        LOG.info("access log {} reopened", file);
        asked.forEach(done -> done.complete(null));
    }

    /**
     * Opens for appending; a new file is made readable by the owner's group only (0640 where the
     * file system has POSIX modes): it names every client's address.
     */
    private static Writer open(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (FileAlreadyExistsException exists) {
            // Appended to, as logrotate's "create" or an earlier run left it.
        } catch (UnsupportedOperationException noPosix) {
            // Created by the open below, with the file system's own permissions.
        }
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    /** Writes what is queued, closes the file and stops the thread (waiting at most 5 s for a slow disk). */
    @Override
    public void close() {
        closing = true;
        try {
            if (!queue.offer(WAKE, 1, TimeUnit.SECONDS)) {
                LOG.debug("access log {}: queue full at close; the writer drains it", file);
            }
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("access log {}: the writer did not finish within 5 s; lines still queued are lost", file);
        }
    }
}
