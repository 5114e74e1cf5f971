package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Lifecycle state of one cache instance, as nodes report it and as the {@code stat} result counts
 * it. The wire form is the lower-case name ({@code "start"}, {@code "pause"}, {@code "stop"}).
 */
public enum InstanceStatus {
    /** Serving requests (and, with a switch, redirecting traffic). */
    START,
    /** Not serving, content kept; {@code start} resumes it. */
    PAUSE,
    /** Ended; content deleted. Kept in the controller's view until it is forgotten. */
    STOP;

    /** The wire form, e.g. {@code "start"}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; throws {@link IllegalArgumentException} naming the bad value. */
    @JsonCreator
    public static InstanceStatus fromWire(String value) {
        for (InstanceStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown instance status '" + value + "' (start, pause or stop)");
    }
}
