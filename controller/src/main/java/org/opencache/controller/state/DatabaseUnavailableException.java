package org.opencache.controller.state;

/**
 * The database cannot be reached (not yet connected, or a call timed out). The API turns it into
 * JSON-RPC error {@code -32603} with {@code data: "database unavailable"}; the controller keeps
 * retrying in the background.
 */
public final class DatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be done, for the log */
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
