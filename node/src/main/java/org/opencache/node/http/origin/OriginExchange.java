package org.opencache.node.http.origin;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.stats.OriginTimer;
import org.slf4j.LoggerFactory;

/**
 * One proxyToOriginRequest and its originToProxyResponse: the response head goes to a
 * {@link Listener}, which says where the body goes, and the body then streams there chunk by
 * chunk as it arrives. The next chunk is read only when the previous one has been written, so a
 * slow client slows the origin down instead of filling memory.
 *
 * <p>Bounded in time: the origin client's connect and idle timeouts, plus a response-headers
 * timeout scheduled here, so an origin that accepts the connection and never answers fails the
 * exchange with a {@link TimeoutException} instead of holding the client.
 *
 * <p>The body is the content: transfer codings beneath chunked ({@code gzip}, {@code deflate}) are
 * undone here ({@link TransferDecoding}), and a response with one that cannot be fails with an
 * {@link UnreadableTransferCodingException} before the listener hears of it.
 *
 * <p>Bounded in size: a response whose fields are more than the origin client's
 * {@link OriginClient#maxFieldBytes()} fails with a {@link FieldsTooLargeException} before the
 * listener hears of it, so it is neither stored nor relayed.
 */
public final class OriginExchange implements Response.BeginListener, Response.HeaderListener,
        Response.HeadersListener, Response.AsyncContentListener, Response.SuccessListener,
        Response.CompleteListener {

    /** What happens with the origin's answer. */
    public interface Listener {
        /**
         * The status line and fields arrived.
         *
         * @return where the body goes: every chunk is written to it, then an empty last write;
         *         null to discard the body
         */
        Content.Sink onOriginResponse(Response response, Instant requestTime, Instant responseTime);

        /**
         * An interim (1xx) response arrived before the final one (RFC 9110 §15.2); there may be
         * several. Its fields are its own: the final response does not carry them.
         *
         * @param fields the interim response's end-to-end fields
         */
        default void onInterim(int status, HttpFields fields) {
        }

        /** The exchange failed, before the response head or midway through the body. */
        void onOriginFailure(Throwable failure);

        /** Who is told the exchange's connect and first-byte times; nobody by default. */
        default OriginTimer originTimer() {
            return OriginTimer.NONE;
        }
    }

    private final Listener listener;
    private final Clock clock;
    private final int maxFieldBytes;
    private final Scheduler.Task headersTimeout;
    private final Instant requestTime;
    private final OriginTimer timer;
    private final long sentNanos = System.nanoTime();
    private volatile long queuedNanos;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Callback.Completable lastWrite = new Callback.Completable();
    private volatile Content.Sink sink;
    /** The transfer codings to undo beneath chunked; null for none (nearly always). */
    private volatile TransferDecoding decoding;
    private int fieldBytes; // only the parsing thread counts

    private OriginExchange(Request request, Listener listener, Clock clock, Scheduler scheduler, Duration timeout,
            int maxFieldBytes) {
        this.listener = listener;
        this.clock = clock;
        this.maxFieldBytes = maxFieldBytes;
        this.requestTime = clock.instant();
        this.timer = listener.originTimer();
        this.headersTimeout = scheduler.schedule(() -> request.abort(new TimeoutException(
                "the origin sent no response within " + timeout.toMillis() + " ms")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends the request; the listener hears about the response or the failure. */
    public static void send(OriginClient origins, Request request, Clock clock, Listener listener) {
        OriginExchange exchange = new OriginExchange(request, listener, clock, origins.scheduler(),
                origins.responseTimeout(), origins.maxFieldBytes());
        if (exchange.timer != OriginTimer.NONE) {
            // Queued → begin is the wait for a connection: the connect when the pool had none idle.
            request.onRequestQueued(queued -> exchange.queuedNanos = System.nanoTime())
                    .onRequestBegin(begun -> exchange.connected());
        }
        // InterimResponses finds the exchange here to tell it of 1xx responses.
        request.attribute(InterimResponses.EXCHANGE, exchange);
        // send() registers every listener interface the exchange implements, not only onComplete.
        request.send(exchange);
    }

    private void connected() {
        long queued = queuedNanos;
        if (queued != 0) {
            timer.connected(System.nanoTime() - queued);
        }
    }

    /** An interim response arrived (from {@link InterimResponses}, on the parsing thread). */
    void interim(int status, HttpFields fields) {
        try {
            listener.onInterim(status, HeaderFields.endToEnd(fields));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(OriginExchange.class).warn("relaying a {} response: {}", status, e.toString());
        }
    }

    @Override
    public void onBegin(Response response) {
        headersTimeout.cancel();
        timer.firstByte(System.nanoTime() - sentNanos);
    }

    /**
     * Counts the fields as they are parsed, so that a head too big to relay fails before the
     * listener stores or starts anything (stored, every hit on it would be a 500 from our own
     * server) and before the client's parser reaches its own, cruder limit.
     */
    @Override
    public boolean onHeader(Response response, HttpField field) {
        fieldBytes += HeaderFields.encodedSize(field);
        if (fieldBytes > maxFieldBytes) {
            response.abort(new FieldsTooLargeException(fieldBytes, maxFieldBytes));
            return false;
        }
        return true;
    }

    @Override
    public void onHeaders(Response response) {
        if (response.getVersion() == HttpVersion.HTTP_1_0 && response.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            // RFC 9112 §6.1: its framing is faulty whatever it says; §6.3: a proxy answers such a response 502.
            response.abort(new UnreadableTransferCodingException(
                    "the origin's HTTP/1.0 response has Transfer-Encoding, which HTTP/1.0 does not frame with"));
            return;
        }
        try {
            // RFC 9112 §6.1: a HEAD response or a 304 may name the codings a GET's body would have had.
            decoding = hasBody(response) ? TransferDecoding.of(response.getHeaders()) : null;
        } catch (UnreadableTransferCodingException e) {
            // Before the listener hears of it: content that cannot be known is neither stored nor relayed.
            response.abort(e);
            return;
        }
        try {
            sink = listener.onOriginResponse(response, requestTime, clock.instant());
        } catch (RuntimeException e) {
            response.abort(e);
        }
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        Content.Sink target = sink;
        if (target == null) {
            demander.run();
            return;
        }
        TransferDecoding coded = decoding;
        if (coded != null) {
            List<ByteBuffer> content;
            try {
                content = coded.decode(chunk.getByteBuffer());
            } catch (UnreadableTransferCodingException e) {
                response.abort(e);
                return;
            }
            writeAll(target, content.iterator(), demander, response);
            return;
        }
        // The chunk is released when this method returns unless retained; the write is asynchronous.
        chunk.retain();
        target.write(false, chunk.getByteBuffer(), Callback.from(() -> {
            chunk.release();
            demander.run();
        }, failure -> {
            chunk.release();
            response.abort(failure);
        }));
    }

    private static boolean hasBody(Response response) {
        int status = response.getStatus();
        return !HttpMethod.HEAD.is(response.getRequest().getMethod()) && status != HttpStatus.NO_CONTENT_204
                && status != HttpStatus.NOT_MODIFIED_304;
    }

    // Decoded content: copies, written one after the other before the next chunk is read.
    private static void writeAll(Content.Sink target, Iterator<ByteBuffer> content, Runnable demander,
            Response response) {
        if (!content.hasNext()) {
            demander.run();
            return;
        }
        target.write(false, content.next(), Callback.from(() -> writeAll(target, content, demander, response),
                response::abort));
    }

    @Override
    public void onSuccess(Response response) {
        Content.Sink target = sink;
        TransferDecoding coded = decoding;
        if (coded != null && target != null) {
            try {
                coded.finish();
            } catch (UnreadableTransferCodingException truncated) {
                // Not the last write: a store must not commit a truncated body.
                lastWrite.failed(truncated);
                return;
            } finally {
                // Here, on the parsing thread, no decode can be running; a failed exchange leaves it to the GC.
                coded.release();
            }
        }
        if (target == null) {
            lastWrite.succeeded();
        } else {
            target.write(true, BufferUtil.EMPTY_BUFFER, lastWrite);
        }
    }

    @Override
    public void onComplete(Result result) {
        headersTimeout.cancel();
        if (result.isFailed()) {
            fail(result.getFailure());
        } else {
            lastWrite.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    fail(failure);
                }
            });
        }
    }

    private void fail(Throwable failure) {
        if (failed.compareAndSet(false, true)) {
            listener.onOriginFailure(failure);
        }
    }
}
