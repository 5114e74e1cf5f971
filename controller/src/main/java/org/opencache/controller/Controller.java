package org.opencache.controller;

import java.net.InetSocketAddress;
import java.time.Clock;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.api.ApiServer;
import org.opencache.controller.nodes.NodeLinkServer;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.StatsExpiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the database connection (embedded server when none is configured), the
 * statistics expiry, the link to the nodes and the JSON-RPC endpoint. {@link #close()} stops them
 * in reverse order.
 *
 * <p>The endpoint starts even while the database is still unreachable: requests then get a
 * precise {@code database unavailable} error while the connection is retried in the background.
 */
public final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final Database database;
    private final StatsExpiry expiry;
    private final NodeLinkServer link;
    private final ApiServer api;

    private Controller(Database database, StatsExpiry expiry, NodeLinkServer link, ApiServer api) {
        this.database = database;
        this.expiry = expiry;
        this.link = link;
        this.api = api;
    }

    /**
     * Starts every part of the controller.
     *
     * @throws Exception when a part cannot start (e.g. the API port is taken); what was started
     *                   is stopped again
     */
    public static Controller start(ControllerConfig config) throws Exception {
        Clock clock = Clock.systemUTC();
        Database database = Database.open(config);
        StatsExpiry expiry = null;
        NodeLinkServer link = null;
        try {
            MongoControllerState state = new MongoControllerState(database);
            expiry = StatsExpiry.start(state, config.statRetention(), clock);
            link = NodeLinkServer.start(config, state, clock);
            ApiServer api = ApiServer.start(config, state, link);
            LOG.info("controller listening for JSON-RPC on {}{}{}", api.url(),
                    config.apiTls().flatMap(t -> t.clientCas()).isPresent() ? " (client certificates required)" : "",
                    config.apiTokens().isPresent() ? " (tokens required)" : "");
            return new Controller(database, expiry, link, api);
        } catch (Exception e) {
            if (link != null) {
                link.close();
            }
            if (expiry != null) {
                expiry.close();
            }
            database.close();
            throw e;
        }
    }

    /** Where the JSON-RPC endpoint listens (its port is the real one when 0 was configured). */
    public InetSocketAddress apiAddress() {
        return api.address();
    }

    @Override
    public void close() {
        try {
            api.close();
        } finally {
            try {
                link.close();
            } finally {
                expiry.close();
                database.close();
            }
        }
    }
}
