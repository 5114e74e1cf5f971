package org.opencache.node.instance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one handler of the node's shared Jetty server: every instance has its own port (its own
 * connector), and this routes each request to the handler of the instance owning that port.
 */
final class InstanceRouter extends Handler.Abstract {
    private final Map<Integer, Handler> byPort = new ConcurrentHashMap<>();
    private final Map<Integer, String> instances = new ConcurrentHashMap<>();

    void route(int port, String instance, Handler handler) {
        instances.put(port, instance);
        byPort.put(port, handler);
    }

    void unroute(int port) {
        byPort.remove(port);
        instances.remove(port);
    }

    /** The expression of the instance serving {@code port}, or null when none does. */
    String instanceOn(int port) {
        return instances.get(port);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler handler = byPort.get(Request.getLocalPort(request));
        if (handler == null) {
            // The connector is closing: the instance was paused or stopped during this request.
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    "this cache instance is not serving");
            return true;
        }
        return handler.handle(request, response, callback);
    }
}
