package org.opencache.node.http.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.opencache.node.http.fill.Fill;
import org.opencache.node.http.fill.Recipient;
import org.opencache.node.http.origin.OriginFailure;
import org.opencache.node.http.rules.ByteRanges;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.http.rules.Preconditions;
import org.opencache.node.http.rules.StoredView;
import org.opencache.node.stats.CacheOutcome;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.stats.OriginTimer;
import org.opencache.node.store.BodyFile;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.StoredObject;

/**
 * The proxyToClientResponse of one request: writes the response head (our {@code Via} and
 * {@code Cache-Status} added), streams the body, and when the response ends, successfully or
 * not, counts it once in the instance counters with the body bytes the client was actually sent
 * (a hit, a miss, or an origin error when the origin could not be used).
 *
 * <p>A failure before anything was sent becomes a 502 or 504 with a short text body; a failure
 * after the head went out aborts the response, so the client sees it incomplete rather than
 * mistaking a truncated body for the whole.
 */
public final class ClientResponder implements Recipient {
    private final Response response;
    private final Callback callback;
    private final boolean head;
    private final HttpFields requestFields;
    private final InstanceCounters counters;
    private final CachePolicy policy;
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Set when the origin could not be used: the response is then counted as an origin error. */
    private volatile boolean originFailed;
    /** Set when the instance refused the origin's address itself (403). */
    private volatile boolean refusedOrigin;
    /** The Cache-Status of the head last written, which the metrics count the response by. */
    private volatile CacheStatus sentStatus;
    /** The interim responses written so far, which the final response waits for; null for none (every hit). */
    private volatile CompletableFuture<Void> interimSent;

    /**
     * @param response the response to the client
     * @param callback completes the client's exchange
     * @param head     whether the request was a HEAD (no body is sent)
     * @param request  the client's request fields: conditionals and ranges apply to stored responses
     * @param counters the instance's counters
     * @param policy   computes the {@code Age} of stored responses and which origin fields clients are sent
     */
    ClientResponder(Response response, Callback callback, boolean head, HttpFields request, InstanceCounters counters,
            CachePolicy policy) {
        this.response = response;
        this.callback = callback;
        this.head = head;
        this.requestFields = request;
        this.counters = counters;
        this.policy = policy;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A fill does not forward the client's conditionals, nor its range unless it is a miss for
     * a single range (whose 206 passes through), so they are applied here to the origin's 200
     * while the whole body still goes to the store: a 304 when the validators match, a 206 for a
     * single satisfiable range, a 416 for none. The targeted cache control fields the cache
     * consumes are left out ({@link CachePolicy#toClient}).
     */
    @Override
    public Content.Sink startResponse(int status, HttpFields originFields, CacheStatus cacheStatus) {
        HttpFields fields = policy.toClient(originFields);
        ObjectMeta arriving = new ObjectMeta(status, HeaderFields.toEntries(fields), policy.now(), policy.now(),
                policy.now(), Fill.contentLength(fields));
        if (Preconditions.notModified(requestFields, arriving)) {
            writeHead(HttpStatus.NOT_MODIFIED_304, Preconditions.notModifiedFields(fields), cacheStatus);
            return PartialContent.bodiless(countingSink(false));
        }
        Optional<ByteRanges> ranges = requestedRanges(arriving);
        if (ranges.isPresent() && ranges.get().unsatisfiable()) {
            writeHead(HttpStatus.RANGE_NOT_SATISFIABLE_416, unsatisfiable(arriving), cacheStatus);
            return PartialContent.bodiless(countingSink(false));
        }
        if (ranges.isPresent() && ranges.get().ranges().size() == 1) {
            ByteRanges.Range range = ranges.get().ranges().getFirst();
            HttpFields.Mutable partial = HttpFields.build(fields)
                    .put(HttpHeader.CONTENT_RANGE, range.contentRange(arriving.bodyLength()))
                    .put(HttpHeader.CONTENT_LENGTH, range.size());
            writeHead(HttpStatus.PARTIAL_CONTENT_206, partial, cacheStatus);
            return PartialContent.slice(countingSink(false), range);
        }
        writeHead(status, fields, cacheStatus);
        return countingSink(false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With our {@code Via} (RFC 9110 §7.6.3), to clients of HTTP/1.1 or later only: a server
     * MUST NOT send a 1xx to an HTTP/1.0 client (RFC 9110 §15.2). Written at once; the final
     * response's writes wait until the interim responses before it have gone out.
     */
    @Override
    public void interim(int status, HttpFields fields) {
        if (finished.get() || response.isCommitted() || !takesInterim()) {
            return;
        }
        HttpFields relayed = HttpFields.build(fields).add(HttpHeader.VIA, HeaderFields.VIA).asImmutable();
        CompletableFuture<Void> previous = interimSent;
        interimSent = previous == null ? writeInterim(status, relayed)
                : previous.handle((ignored, failure) -> null).thenCompose(ignored -> writeInterim(status, relayed));
    }

    private boolean takesInterim() {
        return response.getRequest().getConnectionMetaData().getHttpVersion().getVersion()
                >= HttpVersion.HTTP_1_1.getVersion();
    }

    private CompletableFuture<Void> writeInterim(int status, HttpFields fields) {
        try {
            return response.writeInterim(status, fields);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // Every write of the final response: after the interim responses, when there were any.
    private void send(boolean last, ByteBuffer bytes, Callback callback) {
        CompletableFuture<Void> interim = interimSent;
        if (interim == null || interim.isDone()) {
            response.write(last, bytes, callback);
        } else {
            interim.whenComplete((ignored, failure) -> response.write(last, bytes, callback));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The client's own conditionals and range apply: a 304 when its validators match (RFC 9111
     * §4.3.2), a 206 or 416 for a {@code Range} on a stored 200 (RFC 9110 §14).
     */
    @Override
    public void serveStored(StoredObject object, CacheStatus cacheStatus) {
        ObjectMeta meta = object.meta();
        // The stored fields are built once per stored response; a hit shares them, not copies them.
        StoredView view = StoredView.of(meta);
        HttpField age = view.age(policy.currentAge(meta).toSeconds());
        if (Preconditions.notModified(requestFields, meta)) {
            writeEmpty(HttpStatus.NOT_MODIFIED_304, Preconditions.notModifiedFields(view.clientFields()).put(age),
                    cacheStatus);
            return;
        }
        Optional<ByteRanges> ranges = requestedRanges(meta);
        if (ranges.isPresent() && ranges.get().unsatisfiable()) {
            writeEmpty(HttpStatus.RANGE_NOT_SATISFIABLE_416, unsatisfiable(meta), cacheStatus);
            return;
        }
        if (ranges.isPresent()) {
            PartialContent partial = new PartialContent(ranges.get(), meta.header(HttpHeader.CONTENT_TYPE.asString()));
            HttpFields.Mutable fields = HttpFields.build(view.wholeResponseFields()).put(age);
            partial.describe(fields);
            boolean single = ranges.get().ranges().size() == 1;
            Optional<ByteBuffer> inMemory = single ? object.bodyInMemory() : Optional.empty();
            if (inMemory.isPresent()) {
                // One range of a body in memory: a slice of it, like a whole body.
                ByteRanges.Range range = ranges.get().ranges().getFirst();
                ByteBuffer slice = inMemory.get().slice((int) range.first(), (int) range.size());
                writeStored(HttpStatus.PARTIAL_CONTENT_206, fields, null, object, slice, range.first(), cacheStatus);
                return;
            }
            serveBody(HttpStatus.PARTIAL_CONTENT_206, fields, null, () -> partial.open(object), cacheStatus);
            return;
        }
        int status = meta.status();
        if (head || meta.bodyLength() == 0) {
            writeEmpty(status, view.wholeResponseFields(), age, cacheStatus);
            return;
        }
        Optional<ByteBuffer> body = object.bodyInMemory();
        if (body.isPresent()) {
            writeStored(status, view.wholeResponseFields(), age, object, body.get(), 0, cacheStatus);
            return;
        }
        serveBody(status, view.wholeResponseFields(), age, object::openBody, cacheStatus);
    }

    /**
     * The common hit: the head, then one write of bytes the store holds in memory, with no copy
     * and no allocation per chunk. Large bytes leave from the body's file instead
     * ({@link FileSendingEndPoint}), the memory copy standing in for them.
     *
     * @param bytes      the whole body or one range of it
     * @param fileOffset where {@code bytes} start in the body
     */
    private void writeStored(int status, HttpFields fields, HttpField age, StoredObject object, ByteBuffer bytes,
            long fileOffset, CacheStatus cacheStatus) {
        writeHead(status, fields, age, cacheStatus);
        Callback releaseFile = sendFromFileIfWorthIt(object, bytes, fileOffset);
        send(true, bytes, new Sent(bytes.remaining(), true, true, releaseFile));
    }

    /** Registers large bytes to go out from the body's file; returns what releases the file after the write. */
    private Callback sendFromFileIfWorthIt(StoredObject object, ByteBuffer bytes, long fileOffset) {
        if (!(response.getRequest().getConnectionMetaData().getConnection().getEndPoint()
                instanceof FileSendingEndPoint endPoint)
                || !endPoint.worthSendingFromFile(bytes.remaining())) {
            return Callback.NOOP;
        }
        Optional<BodyFile> file = object.bodyFile();
        return file.isPresent() ? endPoint.sendFromFile(bytes, file.get(), fileOffset) : Callback.NOOP;
    }

    /** Where a body is read from; the {@link IOException} means the store lost it. */
    private interface BodySource {
        InputStream open() throws IOException;
    }

    // A body streamed from the disk tier: nothing is sent before it is open, so a lost body is a
    // plain 500 rather than a truncated response.
    private void serveBody(int status, HttpFields fields, HttpField age, BodySource source, CacheStatus cacheStatus) {
        InputStream body;
        try {
            body = source.open();
        } catch (IOException e) {
            writeError(HttpStatus.INTERNAL_SERVER_ERROR_500, cacheStatus.detail("store-error"),
                    "the stored response could not be read: " + e.getMessage());
            return;
        }
        writeHead(status, fields, age, cacheStatus);
        Content.copy(Content.Source.from(body), countingSink(true), Callback.from(() -> IO.close(body), failure -> {
            IO.close(body);
            finish(failure, true);
        }));
    }

    // RFC 9110 §14.2: a Range on a GET for a 200 of known length, unless If-Range says it changed.
    private Optional<ByteRanges> requestedRanges(ObjectMeta response) {
        if (head || response.status() != HttpStatus.OK_200 || response.bodyLength() < 0) {
            return Optional.empty();
        }
        return ByteRanges.parse(requestFields.get(HttpHeader.RANGE), response.bodyLength())
                .filter(requested -> Preconditions.rangeApplies(requestFields, response));
    }

    private static HttpFields unsatisfiable(ObjectMeta response) {
        return HttpFields.build().put(HttpHeader.CONTENT_RANGE, "bytes */" + response.bodyLength());
    }

    // A stored response's head without a body: HEAD, 304, 416 or an empty body.
    private void writeEmpty(int status, HttpFields fields, CacheStatus cacheStatus) {
        writeEmpty(status, fields, null, cacheStatus);
    }

    private void writeEmpty(int status, HttpFields fields, HttpField age, CacheStatus cacheStatus) {
        writeHead(status, fields, age, cacheStatus);
        countingSink(true).write(true, BufferUtil.EMPTY_BUFFER, Callback.NOOP);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counted as an origin error, not a miss, unless it is the instance's own refusal (403).
     */
    @Override
    public void fail(Throwable failure, CacheStatus cacheStatus) {
        if (finished.get()) {
            return;
        }
        OriginFailure meaning = OriginFailure.of(failure);
        originFailed = meaning.status() != HttpStatus.FORBIDDEN_403;
        refusedOrigin = !originFailed;
        if (response.isCommitted()) {
            finish(failure, false);
            return;
        }
        writeError(meaning.status(), cacheStatus.detail(meaning.detail()),
                "the origin could not be used: " + meaning.description());
    }

    /** Answers without asking the origin, e.g. 400 for a request that names no host. */
    void refuse(int status, String detail, String message) {
        writeError(status, CacheStatus.refused(detail), message);
    }

    private void writeError(int status, CacheStatus cacheStatus, String message) {
        response.reset();
        response.setStatus(status);
        HttpFields.Mutable fields = HttpFields.build()
                .put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8")
                .put(HttpHeader.CACHE_CONTROL, "no-store");
        writeHead(status, fields, cacheStatus);
        Content.Sink.write(countingSink(false), true,
                status + " " + HttpStatus.getMessage(status) + ": " + message + "\n", Callback.NOOP);
    }

    private void writeHead(int status, HttpFields fields, CacheStatus cacheStatus) {
        writeHead(status, fields, null, cacheStatus);
    }

    // The head of a response: the fields, then age (if not null), Date, Via and Cache-Status.
    private void writeHead(int status, HttpFields fields, HttpField age, CacheStatus cacheStatus) {
        response.setStatus(status);
        HttpFields.Mutable out = response.getHeaders();
        // Fields the server set by default give way to the origin's.
        for (HttpField field : fields) {
            out.remove(field.getName());
        }
        for (HttpField field : fields) {
            if (field.getHeader() != HttpHeader.DATE) {
                out.add(field);
            }
        }
        if (age != null) {
            out.put(age);
        }
        // One Date (RFC 9110 §6.6.1): the origin's, or, from an origin without a clock, one on the
        // clock the cache computes Age with. Only put replaces the server's default Date: Jetty
        // keeps it as a persistent field that remove leaves in place.
        String originDate = fields.get(HttpHeader.DATE);
        out.put(HttpHeader.DATE, originDate != null ? originDate : HeaderFields.formatDate(policy.now()));
        out.add(HttpHeader.VIA, HeaderFields.VIA);
        out.add(CacheStatus.FIELD, cacheStatus.value());
        sentStatus = cacheStatus;
    }

    /**
     * The instance's: misses and passes made for this response time the origin there; the first
     * byte's time is also this request's upstream time in the access log ({@link UpstreamTime}).
     */
    @Override
    public OriginTimer originTimer() {
        return new UpstreamTime.Timer(response.getRequest(), counters.meters());
    }

    // Counts what reaches the client and settles the exchange on the last write or a failure.
    private Content.Sink countingSink(boolean hit) {
        return (last, buffer, writeCallback) -> {
            ByteBuffer bytes = head ? BufferUtil.EMPTY_BUFFER : buffer;
            send(last, bytes, new Sent(bytes.remaining(), last, hit, writeCallback));
        };
    }

    /**
     * Completes one write to the client: counts its bytes, settles the exchange after the last
     * write or a failure, then tells {@code then}. One object per write, where a pair of lambdas
     * made four (JFR allocation profile of the 100 KiB hit benchmark).
     */
    private final class Sent implements Callback {
        private final int length;
        private final boolean last;
        private final boolean hit;
        private final Callback then;

        Sent(int length, boolean last, boolean hit, Callback then) {
            this.length = length;
            this.last = last;
            this.hit = hit;
            this.then = then;
        }

        @Override
        public void succeeded() {
            bytesSent.addAndGet(length);
            if (last) {
                finish(null, hit);
            }
            then.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            finish(failure, hit);
            then.failed(failure);
        }
    }

    private CacheOutcome outcome() {
        if (originFailed) {
            return CacheOutcome.ORIGIN_ERROR;
        }
        CacheStatus sent = sentStatus;
        return refusedOrigin || sent == null ? CacheOutcome.REFUSED : sent.outcome();
    }

    private void finish(Throwable failure, boolean hit) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (hit) {
            counters.hit(bytesSent.get());
        } else if (originFailed) {
            counters.originError();
        } else {
            counters.miss(bytesSent.get());
        }
        counters.meters().responded(outcome(), response.getStatus(),
                System.nanoTime() - response.getRequest().getBeginNanoTime());
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
    }
}
