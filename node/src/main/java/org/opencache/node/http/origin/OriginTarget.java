package org.opencache.node.http.origin;

import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.opencache.node.http.rules.OriginAccess;

/**
 * Where a proxyToOriginRequest goes and what it carries.
 *
 * @param host         the origin's host
 * @param port         the origin's port
 * @param pathAndQuery the request target, exactly as the client sent it
 * @param fieldSource  gives the request fields to send (end-to-end, with {@code Via}); called
 *                     only when they are needed, so a hit does not build a set of fields it
 *                     never sends, and at most once
 * @param access       which addresses the host may resolve to for the connection to be made
 *                     (the instance's rule); the origin client checks every address it connects to
 */
public record OriginTarget(String host, int port, String pathAndQuery, Supplier<HttpFields> fieldSource,
        OriginAccess access) {

    /** Every target says which addresses it may reach: there is no unchecked way to an origin. */
    public OriginTarget {
        Objects.requireNonNull(access, "access");
    }

    /** A target with fields already built. */
    public static OriginTarget of(String host, int port, String pathAndQuery, HttpFields fields, OriginAccess access) {
        return new OriginTarget(host, port, pathAndQuery, () -> fields, access);
    }

    /** A target whose fields {@code build} makes on first use. */
    public static OriginTarget lazy(String host, int port, String pathAndQuery, Supplier<HttpFields> build,
            OriginAccess access) {
        return new OriginTarget(host, port, pathAndQuery, new Once(build), access);
    }

    /** The request fields to send. */
    public HttpFields fields() {
        return fieldSource.get();
    }

    /** The same target with other fields. */
    public OriginTarget withFields(HttpFields otherFields) {
        return of(host, port, pathAndQuery, otherFields, access);
    }

    // Thread-safe: a fill may read the fields on an origin thread; building twice would be harmless.
    private static final class Once implements Supplier<HttpFields> {
        private final Supplier<HttpFields> build;
        private volatile HttpFields built;

        Once(Supplier<HttpFields> build) {
            this.build = build;
        }

        @Override
        public HttpFields get() {
            HttpFields fields = built;
            if (fields == null) {
                fields = build.get();
                built = fields;
            }
            return fields;
        }
    }
}
