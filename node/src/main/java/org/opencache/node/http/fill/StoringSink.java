package org.opencache.node.http.fill;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.store.StoreRefusal;
import org.opencache.node.store.StoreWriter;

/**
 * The tee of a miss: every body chunk goes to the store writer and then on to the client, so the
 * client receives the origin's bytes as they arrive.
 *
 * <p>The object is committed before the client can see the response end, so a request that
 * follows it finds the object stored: before the last write, or, when the length is known, as
 * soon as the last byte has been stored, because a client reading a {@code Content-Length}
 * body is done at its last byte, before our final empty write.
 *
 * <p>What the store made of the body ({@link #outcome}) is known from that commit on: a
 * {@link HeldHead} client side asks for it before it sends the response's head.
 *
 * <p>If the client goes away while the object is being stored, the fill carries on without it:
 * other requests may be waiting for this object. Without a writer there is nothing to carry on
 * for, and the client's failure stops the origin transfer.
 */
final class StoringSink implements Content.Sink {
    private final Content.Sink client;
    private final long length;
    private final Consumer<Landing> onCommitted;
    private StoreWriter writer; // guarded by this
    private long stored; // guarded by this
    private boolean reported; // guarded by this
    private volatile StoreRefusal refusal;
    private volatile boolean clientGone;

    /**
     * @param writer      the store writer, or null when the response is not stored
     * @param length      the body's length from {@code Content-Length}, or -1
     * @param client      where the client's copy goes
     * @param onCommitted told once, when the body is complete, what the store made of it: stored, or
     *                    the complete response it did not keep ({@link StoreWriter#unkept()})
     */
    StoringSink(StoreWriter writer, long length, Content.Sink client, Consumer<Landing> onCommitted) {
        this.writer = writer;
        this.length = length;
        this.client = client;
        this.onCommitted = onCommitted;
    }

    @Override
    public void write(boolean last, ByteBuffer buffer, Callback callback) {
        boolean storing = store(last, buffer);
        if (clientGone) {
            callback.succeeded();
            return;
        }
        client.write(last, buffer, Callback.from(callback::succeeded, failure -> {
            if (storing) {
                clientGone = true;
                callback.succeeded();
            } else {
                callback.failed(failure);
            }
        }));
    }

    /**
     * {@code forwarded} with what the store made of the body, once it is complete: stored, or
     * why not.
     */
    CacheStatus outcome(CacheStatus forwarded) {
        StoreRefusal why = refusal;
        return why == null ? forwarded.stored() : forwarded.notStored(why);
    }

    /** Discards what was written to the store: the origin response failed midway. */
    void abort() {
        synchronized (this) {
            if (writer == null) {
                return;
            }
            writer.abort();
            writer = null;
        }
    }

    // Synchronized because an origin failure may abort from another thread while a chunk is
    // stored. Returns whether the object is still being stored after this write.
    private boolean store(boolean last, ByteBuffer buffer) {
        Landing committed = null;
        boolean active;
        synchronized (this) {
            if (writer != null) {
                stored += buffer.remaining();
                writer.write(buffer);
                if (last || stored == length) {
                    if (writer.commit()) {
                        committed = Landing.STORED;
                    } else {
                        refusal = writer.refusal().orElse(StoreRefusal.STORE_ERROR);
                        committed = writer.unkept().map(Landing::unkept).orElse(Landing.NOT_STORED);
                    }
                    writer = null;
                }
            } else if (last && !reported) {
                committed = Landing.NOT_STORED;
            }
            if (committed != null) {
                reported = true;
            }
            active = writer != null;
        }
        if (committed != null) {
            onCommitted.accept(committed);
        }
        return active;
    }
}
