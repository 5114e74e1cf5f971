package org.opencache.node.http.fill;

import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.opencache.node.http.rules.CacheStatus;

/**
 * The client's side of a small miss being stored: holds the response head back, with the body,
 * until the body is complete and the store has committed it, so that {@code Cache-Status} says
 * what the store did ({@code stored}, or why not) rather than promising it. Only for bodies of
 * known length up to {@link #LIMIT}: their bytes are copied here, and the client waits for them
 * no longer than the origin takes to send them (usually one read with the head). The body then
 * goes out in one write.
 */
final class HeldHead implements Content.Sink {
    /** The largest body held back: a larger one streams to the client as it arrives. */
    static final long LIMIT = 64 * 1024;

    private final byte[] body;
    private final Function<CacheStatus, Content.Sink> start;
    private final Supplier<CacheStatus> outcome;
    private int held; // written by one write at a time, as a sink is
    private Content.Sink client;

    /**
     * @param length  the body's length, from 0 to {@link #LIMIT}
     * @param start   starts the client's response with the final {@code Cache-Status}
     * @param outcome the {@code Cache-Status} once the store has committed or refused the body
     */
    HeldHead(long length, Function<CacheStatus, Content.Sink> start, Supplier<CacheStatus> outcome) {
        this.body = new byte[(int) length];
        this.start = start;
        this.outcome = outcome;
    }

    /** Whether a body of {@code length} bytes (-1: not announced) is held back. */
    static boolean holds(long length) {
        return length >= 0 && length <= LIMIT;
    }

    @Override
    public void write(boolean last, ByteBuffer buffer, Callback callback) {
        if (client != null) {
            client.write(last, buffer, callback);
            return;
        }
        int count = Math.min(buffer.remaining(), body.length - held);
        // Absolute get: the buffer is the origin's, released once the callback completes.
        buffer.get(buffer.position(), body, held, count);
        buffer.position(buffer.position() + count);
        held += count;
        if (!last && held < body.length) {
            callback.succeeded();
            return;
        }
        client = start.apply(outcome.get());
        client.write(last, ByteBuffer.wrap(body, 0, held), callback);
    }
}
