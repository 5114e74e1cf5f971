package org.opencache.node.http.serve;

import org.eclipse.jetty.server.HttpConfiguration;

/**
 * How every instance port speaks HTTP/1.1 to its clients, in one place, so that what the origin
 * side accepts ({@link #RELAYABLE_FIELD_BYTES}) follows from what the client side can send.
 */
public final class ClientHttpConfiguration {
    /**
     * The most bytes of a response head (status line and fields) Jetty writes to a client
     * ({@link HttpConfiguration#setResponseHeaderSize}); a longer head fails as a 500. Jetty's
     * default, as nginx's {@code proxy_buffer_size} is 8k on most platforms.
     */
    public static final int RESPONSE_HEADER_SIZE = 8192;

    /**
     * The most bytes of fields an origin response may have to be relayed and stored: the
     * response head less room for the status line and what the cache adds or replaces
     * ({@code Date}, {@code Age}, {@code Via}, {@code Cache-Status}, {@code Content-Range} and a
     * multipart {@code Content-Type}, {@code Connection: close}), each well under its share.
     */
    public static final int RELAYABLE_FIELD_BYTES = RESPONSE_HEADER_SIZE - 512;

    private ClientHttpConfiguration() {
    }

    /** A new configuration for an instance's connector. */
    public static HttpConfiguration create() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Jetty's Date (an IMF-fixdate) dates the responses it makes itself, e.g. a 400 for a
        // malformed request; the cache handler replaces it with the origin's, or with its own.
        http.setSendDateHeader(true);
        http.setResponseHeaderSize(RESPONSE_HEADER_SIZE);
        // The request parser's per-connection field cache matches case-insensitively by default,
        // so a later "GZIP" would reach the origin spelt as an earlier "gzip": a relay keeps values as sent.
        http.setHeaderCacheCaseSensitive(true);
        return http;
    }
}
