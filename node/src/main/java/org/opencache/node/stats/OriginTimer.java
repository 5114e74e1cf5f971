package org.opencache.node.stats;

/**
 * Told how long an origin exchange took to get going, for the metrics of the instance that asked
 * ({@link InstanceMeters}; {@code http.origin.OriginExchange} tells it). Called on origin client threads; must be cheap and not block.
 */
public interface OriginTimer {
    /** Times nobody reads: pre-fetches, tests. */
    OriginTimer NONE = new OriginTimer() {
        @Override
        public void connected(long nanos) {
        }

        @Override
        public void firstByte(long nanos) {
        }
    };

    /**
     * The request waited {@code nanos} from being queued until a connection could send it: the
     * DNS lookup and TCP connect of a new connection, about nothing for a pooled one.
     */
    void connected(long nanos);

    /** The response's first byte (its status line) came {@code nanos} after the request was sent off. */
    void firstByte(long nanos);
}
