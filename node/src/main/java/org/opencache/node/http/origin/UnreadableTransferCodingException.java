package org.opencache.node.http.origin;

import java.io.IOException;

/**
 * The origin's response has a transfer coding the cache cannot undo (RFC 9112 §7), or a body
 * that the coding it names does not decode: the content cannot be known, so it is answered 502
 * ({@code detail=origin-transfer-coding}) and not stored.
 */
public final class UnreadableTransferCodingException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreadableTransferCodingException(String message) {
        super(message);
    }

    public UnreadableTransferCodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
