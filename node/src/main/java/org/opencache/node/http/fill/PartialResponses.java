package org.opencache.node.http.fill;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.opencache.node.http.rules.ByteRanges;
import org.opencache.node.http.rules.CacheControl;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.ContentRange;
import org.opencache.node.http.rules.Preconditions;
import org.opencache.node.http.rules.StoredParts;
import org.opencache.node.http.rules.Variants;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoreWriter;
import org.opencache.node.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 206 responses in the store (RFC 9111 §3.3, §3.4; RFC 9110 §14, §15.3.7): each part's bytes
 * are an ordinary stored object under its own key ({@link CacheKeys#partKey}), and the URL's
 * parts record ({@link CacheKeys#partsKey}), a bodiless object, carries the newest part's fields
 * and lists the parts ({@link StoredParts}). Both are ordinary objects, so they survive a
 * restart, are evicted and purged like any other (a part found missing is simply not there).
 *
 * <ul>
 *   <li>A part joins the stored ones only if it shares their strong validator and length
 *       (§3.4); otherwise it replaces them, the newer response winning.</li>
 *   <li>A range request whose ranges the parts cover is answered from them while the record is
 *       fresh; its fields are the newest part's (§3.4).</li>
 *   <li>When the parts cover the whole representation they are combined into a complete 200,
 *       stored under the URL's own key like any response (§15.3.7.3), and the parts are dropped.</li>
 * </ul>
 * A response with {@code Vary} is one variant: its parts record carries the variant entries
 * ({@link CacheKeys#variantEntries}), serves only requests that select that variant, joins only
 * parts of it (another variant's part replaces them: one record per URL), and is combined into a
 * variant stored like any other ({@link Variants}).
 */
final class PartialResponses {
    private static final Logger LOG = LoggerFactory.getLogger(PartialResponses.class);
    private static final String CONTENT_RANGE = HttpHeader.CONTENT_RANGE.asString();
    private static final String CONTENT_LENGTH = HttpHeader.CONTENT_LENGTH.asString();
    private static final int COPY_CHUNK = 64 * 1024;

    /**
     * A representation the parts say is at most this long is fetched whole on the next range
     * miss rather than range by range: up to 1 MiB costs about one more round trip to the origin
     * (at 100 Mbit/s), and the whole answers every later range and plain GET.
     */
    static final long FETCH_WHOLE_UP_TO = 1024 * 1024;

    /**
     * Where a 206 is being stored.
     *
     * @param primary the URL's key
     * @param part    the part (its range and id)
     * @param length  the representation's complete length
     * @param meta    what to store with the part's bytes
     */
    record Placement(StoreKey primary, StoredParts.Part part, long length, ObjectMeta meta) {
        StoreKey key() {
            return CacheKeys.partKey(primary, part.id());
        }
    }

    private final ObjectStore store;
    private final CachePolicy policy;
    private final Variants variants;
    /** Record updates of one URL run one at a time ({@link ConcurrentHashMap#compute} locks the key). */
    private final ConcurrentHashMap<StoreKey, Boolean> updating = new ConcurrentHashMap<>();

    PartialResponses(ObjectStore store, CachePolicy policy) {
        this.store = store;
        this.policy = policy;
        this.variants = new Variants(store);
    }

    /**
     * Whether a fill should ask the origin for the client's range rather than the whole
     * representation: a single range (several would come back as multipart/byteranges, which is
     * not stored), and no stored response to revalidate.
     */
    static boolean forwardsRange(HttpFields request) {
        String range = request.get(HttpHeader.RANGE);
        // Against an unknown length, parsing only checks the syntax and counts the ranges.
        return range != null && ByteRanges.parse(range, Long.MAX_VALUE)
                .filter(parsed -> parsed.ranges().size() == 1).isPresent();
    }

    /**
     * Whether a range miss should fetch the whole representation after all: its stored parts say
     * it is small ({@link #FETCH_WHOLE_UP_TO}), so one fetch stores all of it.
     */
    boolean fetchWhole(StoreKey primary) {
        long length = store.lookup(CacheKeys.partsKey(primary)).map(record -> lengthOf(record.meta())).orElse(-1L);
        return length >= 0 && length <= FETCH_WHOLE_UP_TO;
    }

    /**
     * Where to store a 206, or null when it is not a part the cache keeps: no single complete
     * {@code Content-Range}, a body length that disagrees with it, or a response
     * that would not be storable as a 200 (206 is heuristically cacheable like 200, RFC 9110
     * §15.1, and the same rules apply, §3).
     */
    Placement place(StoreKey primary, ObjectMeta response, CacheControl request, boolean authorized) {
        Optional<ContentRange> range = ContentRange.parse(response.header(CONTENT_RANGE));
        if (range.isEmpty()
                || (response.bodyLength() >= 0 && response.bodyLength() != range.get().range().size())
                || !policy.mayStore(request, authorized, withStatus(response, HttpStatus.OK_200, response.bodyLength()))) {
            return null;
        }
        // Kept as long as the complete response would be (the store's purge reads `expires`).
        ObjectMeta described = policy.describe(HttpStatus.OK_200, response.headers(), response.requestTime(),
                response.responseTime(), response.bodyLength());
        return new Placement(primary, new StoredParts.Part(range.get().range(), UUID.randomUUID().toString()),
                range.get().length(), policy.shared(withStatus(described, response.status(), response.bodyLength())));
    }

    /**
     * After a part was committed: lists it in the URL's record, alone if it describes another
     * representation than the stored parts. Returns whether the parts now make the whole.
     */
    boolean added(Placement placement) {
        boolean[] complete = {false};
        updating.compute(CacheKeys.partsKey(placement.primary()), (recordKey, ignored) -> {
            complete[0] = join(recordKey, placement);
            return null;
        });
        return complete[0];
    }

    private boolean join(StoreKey recordKey, Placement placement) {
        StoredObject part = store.lookup(placement.key()).orElse(null);
        if (part == null || part.meta().bodyLength() != placement.part().range().size()) {
            store.remove(placement.key());
            return false;
        }
        Optional<StoredObject> record = store.lookup(recordKey);
        StoredParts before = record.map(found -> StoredParts.fromEntries(found.meta().headers()))
                .orElse(StoredParts.NONE);
        boolean joins = record.isPresent() && lengthOf(record.get().meta()) == placement.length()
                && sameVariant(record.get().meta(), part.meta())
                && Preconditions.sameStrongValidator(record.get().meta(), part.meta());
        StoredParts after = (joins ? before : StoredParts.NONE).with(placement.part());
        // §3.4: the newest response's fields stand for all the parts.
        List<Map.Entry<String, String>> fields = new ArrayList<>(part.meta().headers());
        fields.addAll(after.entries());
        ObjectMeta meta = part.meta();
        StoreWriter writer = store.begin(recordKey,
                new ObjectMeta(meta.status(), fields, meta.requestTime(), meta.responseTime(), meta.expires(), 0));
        if (!writer.commit()) {
            store.remove(placement.key());
            return false;
        }
        before.droppedIn(after).forEach(dropped -> store.remove(CacheKeys.partKey(placement.primary(), dropped.id())));
        return after.complete(placement.length());
    }

    /**
     * A stored object that answers {@code request}'s ranges from the URL's parts, when the record
     * may be used without the origin (§4) and its parts hold every requested byte (§3.3); else
     * empty. It looks like the complete 200 (§3.4: the newest part's fields, the complete length)
     * but holds only the parts' bytes: it must only serve the ranges it was found for.
     */
    Optional<StoredObject> covering(CacheableRequest request, HttpFields requestFields) {
        String rangeField = requestFields.get(HttpHeader.RANGE);
        if (rangeField == null) {
            return Optional.empty();
        }
        StoreKey primary = request.key();
        Optional<StoredObject> record = store.lookup(CacheKeys.partsKey(primary));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        ObjectMeta recorded = record.get().meta();
        long length = lengthOf(recorded);
        if (length < 0 || !CacheKeys.variantMatches(recorded, requestFields)) {
            return Optional.empty();
        }
        // Judged as the complete response would be: 206 is heuristically cacheable like 200.
        ObjectMeta whole = wholeOf(recorded, length);
        CachePolicy.Reuse reuse = policy.reuse(request.directives(), request.pragmaNoCache(), whole);
        if (reuse != CachePolicy.Reuse.FRESH && reuse != CachePolicy.Reuse.STALE_ALLOWED) {
            return Optional.empty();
        }
        Optional<ByteRanges> ranges = ByteRanges.parse(rangeField, length);
        // Anything that would send the whole representation needs the origin (§3.3).
        if (ranges.isEmpty() || !Preconditions.rangeApplies(requestFields, whole)) {
            return Optional.empty();
        }
        StoredParts parts = StoredParts.fromEntries(recorded.headers());
        List<Piece> pieces = new ArrayList<>();
        for (ByteRanges.Range range : ranges.get().ranges()) {
            Optional<List<StoredParts.Part>> reading = parts.readingOrder(range);
            if (reading.isEmpty()) {
                return Optional.empty();
            }
            for (StoredParts.Part part : reading.get()) {
                Optional<StoredObject> bytes = store.lookup(CacheKeys.partKey(primary, part.id()))
                        .filter(found -> found.meta().bodyLength() == part.range().size());
                if (bytes.isEmpty()) {
                    return Optional.empty();
                }
                pieces.add(new Piece(part.range(), bytes.get()));
            }
        }
        return Optional.of(new Assembled(whole, pieces));
    }

    /**
     * How a plain GET can complete the URL's stored parts (RFC 9111 §3.3: "A cache MAY complete a
     * stored incomplete response by making a subsequent range request"): when they hold the
     * representation from its first byte on, but not all of it, and have a strong validator to
     * send in {@code If-Range} (so that a changed representation comes back whole, RFC 9110
     * §13.1.5). Empty otherwise: the whole is fetched.
     */
    Optional<Completion> completion(StoreKey primary, HttpFields requestFields) {
        Optional<StoredObject> record = store.lookup(CacheKeys.partsKey(primary));
        if (record.isEmpty() || !CacheKeys.variantMatches(record.get().meta(), requestFields)) {
            return Optional.empty();
        }
        ObjectMeta recorded = record.get().meta();
        long length = lengthOf(recorded);
        Optional<String> validator = Preconditions.strongValidator(recorded);
        StoredParts parts = StoredParts.fromEntries(recorded.headers());
        long prefixEnd = parts.prefixEnd();
        if (length < 0 || validator.isEmpty() || prefixEnd < 0 || prefixEnd >= length - 1) {
            return Optional.empty();
        }
        List<Piece> pieces = new ArrayList<>();
        for (StoredParts.Part part : parts.readingOrder(new ByteRanges.Range(0, prefixEnd)).orElseThrow()) {
            Optional<StoredObject> bytes = store.lookup(CacheKeys.partKey(primary, part.id()))
                    .filter(found -> found.meta().bodyLength() == part.range().size());
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            pieces.add(new Piece(part.range(), bytes.get()));
        }
        return Optional.of(new Completion(new ByteRanges.Range(prefixEnd + 1, length - 1), length, validator.get(),
                recorded, new Assembled(wholeOf(recorded, length), pieces)));
    }

    /**
     * The completion of stored parts by a range request for the rest of the representation.
     *
     * @param missing   the bytes to ask for: from the end of the stored prefix to the last byte
     * @param length    the representation's length
     * @param validator the {@code If-Range} value
     * @param recorded  the parts record's metadata
     * @param prefix    the stored prefix's bytes
     */
    record Completion(ByteRanges.Range missing, long length, String validator, ObjectMeta recorded,
            StoredObject prefix) {

        /** The {@code Range} to ask for. */
        String range() {
            return "bytes=" + missing.first() + "-";
        }

        /** Whether a 206 is the missing bytes of the stored representation (§3.4: same strong validator). */
        boolean completedBy(ObjectMeta response) {
            return ContentRange.parse(response.header(CONTENT_RANGE))
                    .filter(range -> range.range().equals(missing) && range.length() == length).isPresent()
                    && Preconditions.sameStrongValidator(recorded, response);
        }

        /** The fields of the complete 200 sent to the client: the 206's, with the complete length. */
        HttpFields wholeFields(HttpFields partFields) {
            return HttpFields.build(partFields).remove(HttpHeader.CONTENT_RANGE).put(HttpHeader.CONTENT_LENGTH, length);
        }

        /**
         * A sink that sends the client the stored prefix before the first bytes written to it.
         *
         * @param failed told when the prefix could not be sent (e.g. the parts were dropped since),
         *               so that the client's response is ended rather than left waiting
         */
        Content.Sink prefixed(Content.Sink client, Consumer<Throwable> failed) {
            AtomicBoolean started = new AtomicBoolean();
            return (last, buffer, callback) -> {
                if (started.getAndSet(true)) {
                    client.write(last, buffer, callback);
                    return;
                }
                InputStream body;
                try {
                    body = prefix.openBody();
                } catch (IOException e) {
                    failed.accept(e);
                    callback.failed(e);
                    return;
                }
                // The prefix's own end is not the response's: its last write is not the last.
                Content.copy(Content.Source.from(body), (ignored, bytes, then) -> client.write(false, bytes, then),
                        Callback.from(() -> {
                            IO.close(body);
                            client.write(last, buffer, callback);
                        }, failure -> {
                            IO.close(body);
                            failed.accept(failure);
                            callback.failed(failure);
                        }));
            };
        }
    }

    /**
     * Combines the URL's parts into the complete response (RFC 9110 §15.3.7.3) if they cover the
     * whole representation, stores it under the URL's key, then drops the parts. The copy runs
     * outside the record's lock; a store that refuses the whole (e.g. over {@code max_item_size})
     * leaves the parts to serve ranges.
     */
    void combine(StoreKey primary, HttpFields requestFields) {
        StoreKey recordKey = CacheKeys.partsKey(primary);
        Optional<StoredObject> record = store.lookup(recordKey);
        if (record.isEmpty()) {
            return;
        }
        ObjectMeta recorded = record.get().meta();
        long length = lengthOf(recorded);
        StoredParts parts = StoredParts.fromEntries(recorded.headers());
        if (length <= 0 || !parts.complete(length)) {
            return;
        }
        List<Piece> pieces = new ArrayList<>();
        for (StoredParts.Part part : parts.readingOrder(new ByteRanges.Range(0, length - 1)).orElseThrow()) {
            Optional<StoredObject> bytes = store.lookup(CacheKeys.partKey(primary, part.id()));
            if (bytes.isEmpty()) {
                return;
            }
            pieces.add(new Piece(part.range(), bytes.get()));
        }
        ObjectMeta whole = wholeOf(recorded, length);
        ObjectMeta meta = policy.describe(HttpStatus.OK_200, whole.headers(), whole.requestTime(),
                whole.responseTime(), length);
        Variants.Placement placement = variants.place(primary, meta, requestFields);
        StoreWriter writer = store.begin(placement.key(), placement.meta());
        if (writer.refusal().isPresent()) {
            writer.abort();
            return;
        }
        try (InputStream body = new Assembled(whole, pieces).openBody()) {
            byte[] chunk = new byte[COPY_CHUNK];
            for (int read = body.read(chunk); read >= 0; read = body.read(chunk)) {
                writer.write(ByteBuffer.wrap(chunk, 0, read));
            }
        } catch (IOException e) {
            LOG.debug("cannot combine the parts of {}: {}", primary, e.toString());
            writer.abort();
            return;
        }
        if (writer.commit()) {
            variants.link(placement);
            updating.compute(recordKey, (key, ignored) -> {
                drop(primary, parts);
                return null;
            });
        }
    }

    /** Removes the URL's parts record and the parts it lists (a newer complete response, an invalidation). */
    void dropAll(StoreKey primary) {
        StoreKey recordKey = CacheKeys.partsKey(primary);
        updating.compute(recordKey, (key, ignored) -> {
            store.lookup(recordKey).ifPresent(record -> drop(primary, StoredParts.fromEntries(record.meta().headers())));
            return null;
        });
    }

    private void drop(StoreKey primary, StoredParts parts) {
        store.remove(CacheKeys.partsKey(primary));
        parts.parts().forEach(part -> store.remove(CacheKeys.partKey(primary, part.id())));
    }

    /** Whether two responses are the same variant: the same {@code Vary} and the same request values for it. */
    private static boolean sameVariant(ObjectMeta a, ObjectMeta b) {
        return Objects.equals(a.header(HttpHeader.VARY.asString()), b.header(HttpHeader.VARY.asString()))
                && variantEntries(a).equals(variantEntries(b));
    }

    private static List<Map.Entry<String, String>> variantEntries(ObjectMeta meta) {
        return meta.headers().stream().filter(field -> field.getKey().startsWith(CacheKeys.VARY_PREFIX)).toList();
    }

    /** The complete length a part's {@code Content-Range} states, or -1. */
    private static long lengthOf(ObjectMeta part) {
        return ContentRange.parse(part.header(CONTENT_RANGE)).map(ContentRange::length).orElse(-1L);
    }

    /**
     * The complete response the parts are of: the newest part's fields without
     * {@code Content-Range} and the parts list, with the complete {@code Content-Length}, as a 200.
     */
    private static ObjectMeta wholeOf(ObjectMeta recorded, long length) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (Map.Entry<String, String> field : recorded.headers()) {
            String name = field.getKey();
            // The variant's entries stay: the complete response is the same variant.
            if (!name.equalsIgnoreCase(CONTENT_RANGE) && !name.equalsIgnoreCase(CONTENT_LENGTH)
                    && !name.equals(StoredParts.ENTRY)) {
                fields.add(field);
            }
        }
        fields.add(Map.entry(CONTENT_LENGTH, Long.toString(length)));
        return withStatus(new ObjectMeta(recorded.status(), fields, recorded.requestTime(), recorded.responseTime(),
                recorded.expires(), length), HttpStatus.OK_200, length);
    }

    private static ObjectMeta withStatus(ObjectMeta meta, int status, long length) {
        return new ObjectMeta(status, meta.headers(), meta.requestTime(), meta.responseTime(), meta.expires(), length);
    }

    /** The stored bytes of one part, placed in the representation. */
    private record Piece(ByteRanges.Range range, StoredObject bytes) {
    }

    /**
     * Parts read as one body: the stream reads each piece from where the previous ones ended.
     * Only the bytes of the ranges it was assembled for can be read; any other byte is an
     * {@link IOException}, never a wrong byte.
     */
    private record Assembled(ObjectMeta meta, List<Piece> pieces) implements StoredObject {
        @Override
        public InputStream openBody() {
            return new PiecesStream(pieces);
        }
    }

    /** Reads a body from pieces; {@link #skip} moves without reading, as a range is found by skipping. */
    private static final class PiecesStream extends InputStream {
        private final List<Piece> pieces;
        private long position;
        private InputStream open;
        private long openEnd = -1;

        PiecesStream(List<Piece> pieces) {
            this.pieces = pieces;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (open == null || position > openEnd) {
                openAt(position);
                if (open == null) {
                    return -1;
                }
            }
            int read = open.read(buffer, offset, (int) Math.min(length, openEnd - position + 1));
            if (read < 0) {
                throw new IOException("a stored part ended early");
            }
            position += read;
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            closeOpen();
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            closeOpen();
        }

        // Opens the piece that holds the byte at `at`; none past the last piece is the end.
        private void openAt(long at) throws IOException {
            closeOpen();
            for (Piece piece : pieces) {
                if (piece.range().first() <= at && at <= piece.range().last()) {
                    InputStream body = piece.bytes().openBody();
                    try {
                        body.skipNBytes(at - piece.range().first());
                    } catch (IOException | RuntimeException e) {
                        body.close(); // a part that cannot be read to `at` is not held open
                        throw e;
                    }
                    open = body;
                    openEnd = piece.range().last();
                    return;
                }
            }
            if (pieces.stream().anyMatch(piece -> piece.range().first() > at)) {
                throw new IOException("byte " + at + " is not stored");
            }
        }

        private void closeOpen() throws IOException {
            if (open != null) {
                open.close();
                open = null;
                openEnd = -1;
            }
        }
    }
}
