package org.opencache.controller.api;

import org.opencache.common.protocol.RpcError;
import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.jsonrpc4j.ErrorResolver;
import java.lang.reflect.Method;
import java.util.List;
import org.opencache.controller.state.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions thrown by API methods become JSON-RPC errors. Operators get a
 * precise {@code data}; stack traces go to the controller log, never into a response.
 */
final class RpcErrorResolver implements ErrorResolver {
    private static final Logger LOG = LoggerFactory.getLogger(RpcErrorResolver.class);

    @Override
    public JsonError resolveError(Throwable thrown, Method method, List<JsonNode> arguments) {
        if (thrown instanceof RpcException rpc) {
            return new JsonError(rpc.code(), rpc.getMessage(), rpc.data());
        }
        if (thrown instanceof DatabaseUnavailableException unavailable) {
            LOG.warn("{} failed: {}", method.getName(), unavailable.getMessage());
            return new JsonError(RpcError.INTERNAL_ERROR, "Internal error", "database unavailable");
        }
        LOG.error("{} failed unexpectedly with arguments {}", method.getName(), arguments, thrown);
        return new JsonError(RpcError.INTERNAL_ERROR, "Internal error",
                "internal error in " + method.getName() + "; the controller log has the details");
    }
}
