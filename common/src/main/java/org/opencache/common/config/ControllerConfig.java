package org.opencache.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.tls.TlsIdentity;

/**
 * The controller's settings (docs/design.md §3), parsed and validated by {@link ConfigReader}.
 *
 * @param controllerHost   address of the JSON-RPC HTTP endpoint ({@code controller_host})
 * @param controllerPort   port of the JSON-RPC HTTP endpoint ({@code controller_port})
 * @param notificationPort port of the ZeroMQ endpoint nodes connect to ({@code notification_port})
 * @param databaseUri      MongoDB connection string from {@code database_uri}, or built from
 *                         {@code database_host}/{@code database_port}; empty: embedded database
 * @param databaseName     {@code database_name}
 * @param dataPath         where the embedded database keeps its files ({@code data_path})
 * @param nodeTimeout      no keep-alive for this long and a node is down ({@code node_timeout})
 * @param commandTimeout   how long to wait for a node to acknowledge a command ({@code command_timeout})
 * @param statRetention    how long statistics and their history are kept ({@code stat_retention})
 * @param linkKeys         CURVE on the node link: {@code link_secret_key} and {@code link_authorized_keys},
 *                         read and checked; empty: the link is not encrypted and any node may join
 * @param logging          {@code log_path} and {@code verbosity}
 * @param apiTls           certificate, key and client CAs of the API ({@code api_tls_cert},
 *                         {@code api_tls_key}, {@code api_tls_client_ca}); empty: plain HTTP
 * @param apiTokens        the tokens of {@code api_tokens_file}; empty: calls need no token
 * @param timestampErrorMargin how far a signed request's timestamp may be from the clock
 *                         ({@code timestamp_error_margin})
 * @param maxBatch         most requests in one JSON-RPC batch ({@code max_batch})
 * @param console          whether {@code /} of {@code controller_port} serves the web console ({@code console})
 */
public record ControllerConfig(
        String controllerHost,
        int controllerPort,
        int notificationPort,
        Optional<String> databaseUri,
        String databaseName,
        Path dataPath,
        Duration nodeTimeout,
        Duration commandTimeout,
        Duration statRetention,
        Optional<ControllerLinkKeys> linkKeys,
        LoggingConfig logging,
        Optional<TlsIdentity> apiTls,
        Optional<ApiTokens> apiTokens,
        Duration timestampErrorMargin,
        int maxBatch,
        boolean console) {
}
