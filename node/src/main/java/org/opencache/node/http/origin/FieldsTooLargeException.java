package org.opencache.node.http.origin;

import java.io.IOException;

/**
 * The origin's response has more bytes of fields than the cache can write to a client
 * ({@link OriginClient#maxFieldBytes()}): it is answered 502 and not stored, as nginx answers
 * "upstream sent too big header".
 */
public final class FieldsTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param fieldBytes    the bytes of the origin's fields, as far as they were read
     * @param maxFieldBytes the most the cache relays
     */
    public FieldsTooLargeException(int fieldBytes, int maxFieldBytes) {
        super("upstream sent too big header: " + fieldBytes + " bytes of fields, at most " + maxFieldBytes
                + " can be relayed");
    }
}
