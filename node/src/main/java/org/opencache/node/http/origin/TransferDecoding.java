package org.opencache.node.http.origin;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.eclipse.jetty.http.GZIPContentDecoder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * Undoes the transfer codings an origin applied beneath {@code chunked} (RFC 9112 §6.1, §7), so
 * that what is stored and relayed is the content, not a hop's encoding of it: {@code Transfer-Encoding:
 * gzip, chunked} was relayed as if the gzip bytes were the content. Jetty's client removes the
 * chunked framing; this removes {@code gzip} ({@code x-gzip}) and {@code deflate}, last applied
 * first. Any other coding ({@code compress}, an extension) cannot be undone, so the content
 * cannot be known: {@link UnreadableTransferCodingException}, a 502. (A close-delimited body whose
 * last coding is not chunked never gets here: Jetty's parser refuses it, see
 * {@link OriginFailure}.)
 *
 * <p>One instance per response, fed its body chunk by chunk on the parsing thread.
 */
final class TransferDecoding {
    private static final String CHUNKED = "chunked";

    /** One transfer coding's decoder. */
    private interface Decoder {
        /** The decoded bytes of one more piece of coded bytes, in order (copies). */
        List<ByteBuffer> decode(ByteBuffer coded) throws UnreadableTransferCodingException;

        /** Whether the coded stream ended properly (a truncated one is not the content). */
        boolean finished();

        void release();
    }

    private final List<Decoder> decoders; // in the order they are undone: the last coding applied first
    private final String codings;

    private TransferDecoding(List<Decoder> decoders, String codings) {
        this.decoders = decoders;
        this.codings = codings;
    }

    /**
     * The decoding a response needs, or null when it has no transfer coding but chunked (nearly
     * always).
     *
     * @throws UnreadableTransferCodingException for a coding the cache cannot undo
     */
    static TransferDecoding of(HttpFields fields) throws UnreadableTransferCodingException {
        if (!fields.contains(HttpHeader.TRANSFER_ENCODING)) {
            return null;
        }
        List<String> listed = fields.getCSV(HttpHeader.TRANSFER_ENCODING, false);
        List<String> applied = new ArrayList<>();
        for (String coding : listed) {
            String name = name(coding);
            if (!name.isEmpty() && !name.equals(CHUNKED)) {
                applied.add(name);
            }
        }
        if (applied.isEmpty()) {
            return null;
        }
        List<Decoder> decoders = new ArrayList<>();
        for (String coding : applied.reversed()) {
            decoders.add(switch (coding) {
                case "gzip", "x-gzip" -> new Gzip();
                case "deflate" -> new Deflate();
                default -> throw new UnreadableTransferCodingException("the origin applied the transfer coding '"
                        + coding + "', which the cache cannot decode (it decodes chunked, gzip and deflate)");
            });
        }
        return new TransferDecoding(decoders, String.join(", ", applied));
    }

    // A coding's parameters (RFC 9112 §7.3) say nothing the decoders need.
    private static String name(String coding) {
        return coding.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** The content in one more piece of the body as it arrived (chunked framing already removed). */
    List<ByteBuffer> decode(ByteBuffer coded) throws UnreadableTransferCodingException {
        List<ByteBuffer> pieces = List.of(coded);
        for (Decoder decoder : decoders) {
            List<ByteBuffer> decoded = new ArrayList<>();
            for (ByteBuffer piece : pieces) {
                decoded.addAll(decoder.decode(piece));
            }
            pieces = decoded;
        }
        return pieces;
    }

    /** Checks, at the end of the body, that every coding ended: else the content is truncated. */
    void finish() throws UnreadableTransferCodingException {
        for (Decoder decoder : decoders) {
            if (!decoder.finished()) {
                throw new UnreadableTransferCodingException("the origin's body ended inside its transfer coding ("
                        + codings + ")");
            }
        }
    }

    /**
     * Frees the decoders' native memory now rather than when they are collected; the decoding is
     * not used after, and no decode may be running.
     */
    void release() {
        decoders.forEach(Decoder::release);
    }

    /** gzip (RFC 1952), by Jetty's streaming decoder. */
    private static final class Gzip implements Decoder {
        private final CopyingGzipDecoder decoder = new CopyingGzipDecoder();

        @Override
        public List<ByteBuffer> decode(ByteBuffer coded) throws UnreadableTransferCodingException {
            try {
                return decoder.feed(coded);
            } catch (RuntimeException e) {
                throw new UnreadableTransferCodingException("the origin's gzip transfer coding does not decode: " + e, e);
            }
        }

        @Override
        public boolean finished() {
            return decoder.isFinished();
        }

        @Override
        public void release() {
            decoder.destroy();
        }
    }

    /** Jetty's gzip decoder, handing out copies of what it inflates instead of aggregating it. */
    private static final class CopyingGzipDecoder extends GZIPContentDecoder {
        private final List<ByteBuffer> out = new ArrayList<>();

        CopyingGzipDecoder() {
            super(8192);
        }

        List<ByteBuffer> feed(ByteBuffer coded) {
            out.clear();
            decodeChunks(coded);
            return List.copyOf(out);
        }

        // The decoder releases the chunk when this returns.
        @Override
        protected boolean decodedChunk(RetainableByteBuffer chunk) {
            ByteBuffer bytes = chunk.getByteBuffer();
            if (bytes.hasRemaining()) {
                out.add(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip());
            }
            return false;
        }
    }

    /** deflate: the zlib format (RFC 9112 §7.2, RFC 1950). */
    private static final class Deflate implements Decoder {
        private final Inflater inflater = new Inflater();
        private final byte[] buffer = new byte[8192];

        @Override
        public List<ByteBuffer> decode(ByteBuffer coded) throws UnreadableTransferCodingException {
            List<ByteBuffer> out = new ArrayList<>();
            inflater.setInput(coded);
            try {
                while (!inflater.finished() && !inflater.needsInput()) {
                    int count = inflater.inflate(buffer);
                    if (count == 0 && inflater.needsDictionary()) {
                        throw new UnreadableTransferCodingException("the origin's deflate transfer coding needs a dictionary");
                    }
                    if (count > 0) {
                        out.add(ByteBuffer.allocate(count).put(buffer, 0, count).flip());
                    }
                }
            } catch (DataFormatException e) {
                throw new UnreadableTransferCodingException("the origin's deflate transfer coding does not decode: "
                        + e.getMessage(), e);
            }
            return out;
        }

        @Override
        public boolean finished() {
            return inflater.finished();
        }

        @Override
        public void release() {
            inflater.end();
        }
    }
}
