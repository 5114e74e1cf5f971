package org.opencache.node.http;

import org.eclipse.jetty.http.HttpFields;

/**
 * Where a proxyToOriginRequest goes and what it carries.
 *
 * @param host         the origin's host
 * @param port         the origin's port
 * @param pathAndQuery the request target, exactly as the client sent it
 * @param fields       the request fields to send (end-to-end, with {@code Via})
 */
record OriginTarget(String host, int port, String pathAndQuery, HttpFields fields) {

    /** The same target with other fields. */
    OriginTarget withFields(HttpFields otherFields) {
        return new OriginTarget(host, port, pathAndQuery, otherFields);
    }
}
