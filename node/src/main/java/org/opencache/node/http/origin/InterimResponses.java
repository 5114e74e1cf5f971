package org.opencache.node.http.origin;

import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Hands every interim (1xx) response an origin sends before its final one to the request's
 * {@link OriginExchange}, which relays it (RFC 9110 §15.2: a proxy MUST forward 1xx responses it
 * did not ask for itself).
 *
 * <p>Jetty's client has handlers for 102 and 103 only, which drop them; any other 1xx (104, 199,
 * …) it took for the final response, so the cache relayed a bodiless {@code 199} and lost the real
 * answer. This one replaces both and takes every 1xx but {@code 100 Continue} (Jetty's own
 * expect-continue handling; the cache never forwards {@code Expect}) and {@code 101 Switching
 * Protocols} (a final answer to an upgrade, which the cache never forwards either). Jetty's
 * early-hints listener does the work of an interim response: it resets the response, so that the
 * 1xx's fields are never mixed into the final response's, and keeps the exchange waiting for it.
 */
final class InterimResponses extends EarlyHintsProtocolHandler {
    /** The request attribute holding the exchange that hears of the request's interim responses. */
    static final String EXCHANGE = OriginExchange.class.getName();
    /** The request attribute holding the status of the interim response being read. */
    private static final String STATUS = InterimResponses.class.getName() + ".status";

    /** Installs the handler in a started client, in place of Jetty's 102 and 103 handlers. */
    static void install(org.eclipse.jetty.client.HttpClient client) {
        client.getProtocolHandlers().remove(ProcessingProtocolHandler.NAME);
        client.getProtocolHandlers().put(new InterimResponses());
    }

    /** Called as the status line arrives: the status is kept for when the fields have followed. */
    @Override
    public boolean accept(Request request, Response response) {
        int status = response.getStatus();
        boolean interim = HttpStatus.isInterim(status) && status != HttpStatus.CONTINUE_100
                && status != HttpStatus.SWITCHING_PROTOCOLS_101;
        if (interim) {
            request.attribute(STATUS, status);
        }
        return interim;
    }

    /** Called once the interim response's fields are read, after the response was reset. */
    @Override
    protected void onEarlyHints(Request request, HttpFields fields) {
        if (request.getAttributes().get(EXCHANGE) instanceof OriginExchange exchange
                && request.getAttributes().get(STATUS) instanceof Integer status) {
            exchange.interim(status, fields);
        }
    }
}
