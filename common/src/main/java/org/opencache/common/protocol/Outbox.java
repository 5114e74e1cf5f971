package org.opencache.common.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from any thread to the one thread that owns a ZeroMQ socket (sockets are not
 * thread-safe), and wakes that thread at once.
 *
 * <p>The owner polls {@link #wakeChannel()} beside its socket (ZeroMQ pollers accept NIO
 * channels) and calls {@link #drain} when it is readable. A byte is written to the pipe only
 * when none is pending, so the pipe never fills however many items are offered; waking this
 * way, instead of polling on a short timeout, keeps a command's round trip well under a
 * millisecond on loopback.
 *
 * @param <T> what is handed over, e.g. an encoded frame
 */
public final class Outbox<T> implements AutoCloseable {
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Pipe pipe;
    private final ByteBuffer discard = ByteBuffer.allocate(64);
    private volatile boolean closed;

    /** An empty outbox with its wake-up pipe. */
    public Outbox() {
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a wake-up pipe", e);
        }
    }

    /** Queues {@code item} and wakes the owner; false (item dropped) once closed. */
    public boolean offer(T item) {
        if (closed) {
            return false;
        }
        queue.add(item);
        wake();
        return true;
    }

    /** Wakes the owner without queuing anything (e.g. to make it notice a stop request). */
    public void wake() {
        if (signalled.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // Only after close: the owner is gone and nobody needs waking.
                signalled.set(false);
            }
        }
    }

    /** The channel the owner polls for reading; readable when items or a wake-up are pending. */
    public SelectableChannel wakeChannel() {
        return pipe.source();
    }

    /**
     * Owner only: clears the wake-up, then passes every queued item to {@code sink} in order.
     * Clearing first means an item offered meanwhile either is passed now or wakes the next poll.
     */
    public void drain(Consumer<? super T> sink) {
        try {
            while (pipe.source().read(discard.clear()) > 0) {
                // emptied
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the wake-up pipe", e);
        }
        signalled.set(false);
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            sink.accept(item);
        }
    }

    /** Refuses further items and closes the pipe; items still queued are dropped. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            pipe.sink().close();
            pipe.source().close();
        } catch (IOException e) {
            // Nothing to recover: the pipe is gone either way.
        }
    }
}
