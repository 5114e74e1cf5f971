package org.opencache.node.http.origin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.QuotedCSV;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * An origin connection that lets Jetty's client read a response RFC 9112 §6.3 (rule 4) allows
 * and Jetty refuses: a close-delimited response whose last transfer coding is not
 * {@code chunked}, e.g. {@code Transfer-Encoding: gzip} (Jetty's parser has an exception for
 * responses that its own order of checks makes unreachable, so such a response was a 502).
 *
 * <p>The connection reads each response head (and the interim heads before it) whole before Jetty
 * sees it. In a final HTTP/1.1 head whose codings do not end in {@code chunked}, it renames the
 * {@code Transfer-Encoding} lines to {@value #CLOSE_DELIMITED_CODINGS}, the same length: Jetty then
 * reads the body to the end of the connection, as the RFC says, and {@link OriginExchange} takes
 * the codings from the renamed field ({@link TransferDecoding}) and keeps it out of the response's
 * fields. Every other byte passes unchanged; the body is never looked at. A head is expected at
 * the start of the connection and after each request the client writes; bytes there that do not
 * start with {@code HTTP/} (or a head larger than {@link #LIMIT}) end the scan at once.
 */
final class CodingEndPoint extends SocketChannelEndPoint {
    /** The field the {@code Transfer-Encoding} lines of a close-delimited coded response become. */
    static final String CLOSE_DELIMITED_CODINGS = "X-Opencache-Coded";
    private static final byte[] RENAMED = CLOSE_DELIMITED_CODINGS.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
    /** The most bytes of heads held back to be read whole; a larger head passes unchanged. */
    static final int LIMIT = 32 * 1024;

    /** Whether the next bytes read start a response head; set by a request written. */
    private volatile boolean scanning = true;
    // Read on the filling thread only.
    private byte[] held;
    private int heldLength;
    private int delivered;
    /** Where the head being scanned starts: the interim heads before it may be delivered already. */
    private int scanFrom;
    private boolean eof;

    private CodingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /** A client connector whose TCP connections are {@code CodingEndPoint}s, otherwise Jetty's default one. */
    static ClientConnector connector() {
        ClientConnector connector = new ClientConnector() {
            @Override
            protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
                return channel instanceof SocketChannel socket
                        ? new CodingEndPoint(socket, selector, key, getScheduler())
                        : super.newEndPoint(channel, selector, key);
            }
        };
        connector.setSelectors(1); // as HttpClientTransportOverHTTP() sets it
        return connector;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (!scanning && held == null) {
            return super.fill(buffer);
        }
        if (scanning && !scanHeads() && deliverable() == delivered) {
            return 0; // the head is not whole yet: wait for more bytes
        }
        return deliver(buffer);
    }

    /** Held bytes that may be delivered make the connection fillable without the selector. */
    @Override
    protected void needsFillInterest() {
        if (held != null && deliverable() > delivered) {
            getFillInterest().fillable();
        } else {
            super.needsFillInterest();
        }
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        if (!scanning && startsRequest(buffers)) {
            scanning = true;
        }
        return super.flush(buffers);
    }

    // Reads until the heads up to a final one are whole; true when the scan is over.
    private boolean scanHeads() throws IOException {
        while (true) {
            if (headsEnd()) {
                scanning = false;
                return true;
            }
            if (held == null) {
                held = new byte[4096]; // most heads, in one read
            } else if (heldLength == held.length) {
                if (held.length == LIMIT) {
                    scanning = false;
                    return true;
                }
                held = Arrays.copyOf(held, Math.min(LIMIT, held.length * 4));
            }
            ByteBuffer view = ByteBuffer.wrap(held, 0, heldLength);
            int read = super.fill(view);
            if (read < 0) {
                eof = true;
                scanning = false;
                return true;
            }
            if (read == 0) {
                return false;
            }
            heldLength = view.limit();
        }
    }

    /**
     * Whether the scan is over: the final head is whole (and rewritten if it needed to be), or the
     * bytes are not a response head. Whole interim heads before it become deliverable at once: a
     * 103 must not wait for the final response.
     */
    private boolean headsEnd() {
        while (true) {
            int start = scanFrom;
            if (heldLength - start < 12) {
                return heldLength - start >= 5 && !startsWith(start, "HTTP/");
            }
            if (!startsWith(start, "HTTP/1.")) {
                return true;
            }
            int end = indexOfEmptyLine(start);
            if (end < 0) {
                return false;
            }
            int status = status(start);
            if (status >= 100 && status < 200 && status != 101) {
                scanFrom = end;
                continue;
            }
            if (startsWith(start, "HTTP/1.1 ")) {
                renameIfCloseDelimited(start, end);
            }
            return true;
        }
    }

    // While scanning, only the interim heads before the head being scanned may go.
    private int deliverable() {
        return scanning ? scanFrom : heldLength;
    }

    // The Transfer-Encoding lines of a head whose last coding is not chunked get the other name.
    private void renameIfCloseDelimited(int start, int end) {
        List<Integer> lines = new ArrayList<>();
        StringBuilder codings = new StringBuilder();
        for (int line = nextLine(start, end); line < end; line = nextLine(line, end)) {
            if (startsWithIgnoreCase(line, TRANSFER_ENCODING)) {
                lines.add(line);
                int valueEnd = nextLine(line, end) - 2;
                codings.append(codings.isEmpty() ? "" : ",").append(new String(held, line + TRANSFER_ENCODING.length,
                        Math.max(0, valueEnd - line - TRANSFER_ENCODING.length), StandardCharsets.ISO_8859_1));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        List<String> values = new QuotedCSV(codings.toString()).getValues();
        String last = values.isEmpty() ? "" : values.getLast().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!last.equals("chunked")) {
            for (int line : lines) {
                System.arraycopy(RENAMED, 0, held, line, RENAMED.length);
            }
        }
    }

    private int deliver(ByteBuffer buffer) {
        if (held == null || (!scanning && delivered == heldLength)) {
            forget();
            return eof ? -1 : 0;
        }
        int position = BufferUtil.flipToFill(buffer);
        int count = Math.min(buffer.remaining(), deliverable() - delivered);
        buffer.put(held, delivered, count);
        BufferUtil.flipToFlush(buffer, position);
        delivered += count;
        if (!scanning && delivered == heldLength) {
            forget();
        }
        return count;
    }

    private void forget() {
        held = null;
        heldLength = 0;
        delivered = 0;
        scanFrom = 0;
    }

    // The start of the line after the one at 'from', or 'end'.
    private int nextLine(int from, int end) {
        for (int i = from; i < end - 1; i++) {
            if (held[i] == '\r' && held[i + 1] == '\n') {
                return i + 2;
            }
        }
        return end;
    }

    // The index just after the CRLFCRLF that ends the head at 'start', or -1.
    private int indexOfEmptyLine(int start) {
        for (int i = start; i + 3 < heldLength; i++) {
            if (held[i] == '\r' && held[i + 1] == '\n' && held[i + 2] == '\r' && held[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private int status(int start) {
        int status = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (held[i] < '0' || held[i] > '9') {
                return -1;
            }
            status = status * 10 + held[i] - '0';
        }
        return status;
    }

    private boolean startsWith(int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (held[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithIgnoreCase(int at, byte[] lowerCase) {
        if (at + lowerCase.length > heldLength) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            int b = held[at + i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    // A request head as Jetty writes it: "METHOD target HTTP/1.1" first in one buffer.
    private static boolean startsRequest(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                int at = buffer.position();
                int method = 0;
                while (at + method < buffer.limit() && buffer.get(at + method) >= 'A' && buffer.get(at + method) <= 'Z') {
                    method++;
                }
                return method > 0 && at + method < buffer.limit() && buffer.get(at + method) == ' ';
            }
        }
        return false;
    }
}
