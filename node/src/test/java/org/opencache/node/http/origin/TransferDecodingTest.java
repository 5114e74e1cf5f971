package org.opencache.node.http.origin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TransferDecodingTest {
    private static final byte[] CONTENT = "content that a hop encoded\n".repeat(100).getBytes(StandardCharsets.US_ASCII);

    @Test
    @DisplayName("RFC 9112 §6.1: no Transfer-Encoding, or chunked alone (Jetty removes it), needs no decoding")
    void chunkedAloneNeedsNothing() throws Exception {
        assertNull(TransferDecoding.of(HttpFields.EMPTY));
        assertNull(TransferDecoding.of(fields("chunked")));
        assertNull(TransferDecoding.of(fields("Chunked")));
    }

    @Test
    @DisplayName("RFC 9112 §7.2: gzip and x-gzip beneath chunked decode, however the coded bytes are split")
    void gzipDecodesAcrossSplits() throws Exception {
        for (String coding : new String[] {"gzip, chunked", "x-gzip, chunked", "GZIP ; q=1, chunked"}) {
            for (int piece : new int[] {1, 7, 100, 100_000}) {
                assertEquals(new String(CONTENT, StandardCharsets.US_ASCII),
                        decode(TransferDecoding.of(fields(coding)), gzip(CONTENT), piece), coding + " / " + piece);
            }
        }
    }

    @Test
    @DisplayName("RFC 9112 §7.2: deflate is the zlib format")
    void deflateDecodes() throws Exception {
        assertEquals(new String(CONTENT, StandardCharsets.US_ASCII),
                decode(TransferDecoding.of(fields("deflate, chunked")), deflate(CONTENT), 13));
    }

    @Test
    @DisplayName("RFC 9112 §6.1: several codings are undone last applied first, also listed on several lines")
    void codingsAreUndoneInReverse() throws Exception {
        HttpFields twoLines = HttpFields.build().add("Transfer-Encoding", "deflate").add("Transfer-Encoding", "gzip, chunked");

        assertEquals(new String(CONTENT, StandardCharsets.US_ASCII),
                decode(TransferDecoding.of(twoLines), gzip(deflate(CONTENT)), 50));
    }

    @Test
    @DisplayName("RFC 9112 §7: a coding the cache cannot decode is refused")
    void unknownCodingsAreRefused() {
        for (String coding : new String[] {"compress, chunked", "br, chunked", "foo, gzip, chunked"}) {
            UnreadableTransferCodingException refused = assertThrows(UnreadableTransferCodingException.class,
                    () -> TransferDecoding.of(fields(coding)), coding);
            assertTrue(refused.getMessage().contains("cannot decode"), refused.getMessage());
        }
    }

    @Test
    @DisplayName("RFC 9112 §8: a coded body cut short, or bytes that are not the coding, are not the content")
    void truncatedOrCorruptBodiesFail() throws Exception {
        byte[] coded = gzip(CONTENT);
        TransferDecoding truncated = TransferDecoding.of(fields("gzip, chunked"));
        truncated.decode(ByteBuffer.wrap(Arrays.copyOf(coded, coded.length - 4)));
        assertThrows(UnreadableTransferCodingException.class, truncated::finish);

        TransferDecoding whole = TransferDecoding.of(fields("gzip, chunked"));
        whole.decode(ByteBuffer.wrap(coded));
        assertDoesNotThrow(whole::finish);

        assertThrows(UnreadableTransferCodingException.class, () -> TransferDecoding.of(fields("deflate, chunked"))
                .decode(ByteBuffer.wrap("not zlib at all".getBytes(StandardCharsets.US_ASCII))));
    }

    private static HttpFields fields(String transferEncoding) {
        return HttpFields.build().add("Transfer-Encoding", transferEncoding);
    }

    private static String decode(TransferDecoding decoding, byte[] coded, int piece) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int at = 0; at < coded.length; at += piece) {
                for (ByteBuffer decoded : decoding.decode(ByteBuffer.wrap(coded, at, Math.min(piece, coded.length - at)))) {
                    byte[] bytes = new byte[decoded.remaining()];
                    decoded.get(bytes);
                    out.write(bytes);
                }
            }
            decoding.finish();
        } finally {
            decoding.release();
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
