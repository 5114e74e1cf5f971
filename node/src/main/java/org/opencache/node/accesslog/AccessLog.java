package org.opencache.node.accesslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.opencache.common.config.AccessLogConfig;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.serve.UpstreamTime;

/**
 * The node's access log ({@code access_log}): Jetty's {@link RequestLog} hook on the instances'
 * server, which Jetty calls once a response is complete (or has failed), so every request of
 * every instance port gets one line. Taking the entry is all that happens on the request's
 * thread; formatting and writing are the {@link AccessLogWriter}'s.
 */
public final class AccessLog implements RequestLog, AutoCloseable {
    private final AccessLogWriter writer;
    private final IntFunction<String> instanceOnPort;

    private AccessLog(AccessLogWriter writer, IntFunction<String> instanceOnPort) {
        this.writer = writer;
        this.instanceOnPort = instanceOnPort;
    }

    /**
     * Opens the log of {@code config}, which names a file.
     *
     * @param instanceOnPort the expression of the instance serving a local port, null for none
     * @throws IOException when the file cannot be opened for appending
     */
    public static AccessLog open(AccessLogConfig config, IntFunction<String> instanceOnPort) throws IOException {
        return open(config, instanceOnPort, AccessLogWriter.DEFAULT_CAPACITY);
    }

    /** {@link #open(AccessLogConfig, IntFunction)} with a queue of {@code capacity} lines (tests fill a small one). */
    public static AccessLog open(AccessLogConfig config, IntFunction<String> instanceOnPort, int capacity)
            throws IOException {
        return new AccessLog(AccessLogWriter.start(config.file().orElseThrow(() ->
                new IllegalArgumentException("access_log is not set")), LineFormat.of(config.format()), capacity),
                instanceOnPort);
    }

    @Override
    public void log(Request request, Response response) {
        HttpFields fields = request.getHeaders();
        writer.offer(new AccessLogEntry(
                Request.getRemoteAddr(request),
                basicUser(fields.get(HttpHeader.AUTHORIZATION)),
                Request.getTimeStamp(request),
                request.getMethod(),
                Objects.requireNonNullElse(request.getHttpURI().getPathQuery(), "-"),
                request.getConnectionMetaData().getProtocol(),
                response.getStatus(),
                Response.getContentBytesWritten(response),
                fields.get(HttpHeader.REFERER),
                fields.get(HttpHeader.USER_AGENT),
                response.getHeaders().get(CacheStatus.FIELD),
                instanceOnPort.apply(Request.getLocalPort(request)),
                UpstreamTime.nanos(request),
                System.nanoTime() - request.getBeginNanoTime()));
    }

    /** nginx's {@code $remote_user}: the user name a {@code Basic} credential gives, checked or not. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon < 0 ? null : credentials.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** {@return how many lines were dropped: queue full, or the file failed} */
    public long dropped() {
        return writer.dropped();
    }

    /** Reopens the file by its name (after logrotate renamed it); see {@link AccessLogWriter#reopen()}. */
    public CompletableFuture<Void> reopen() {
        return writer.reopen();
    }

    /** Writes what is queued and closes the file. */
    @Override
    public void close() {
        writer.close();
    }
}
