package org.opencache.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.keys.NodeLinkKeys;

/**
 * A node's settings (docs/design.md §3), parsed and validated by {@link ConfigReader}. Sizes are in
 * bytes ({@code 0} = no limit where docs/design.md §3 allows it).
 *
 * @param nodeHost          address instances bind to ({@code node_host}); may be a wildcard (0.0.0.0, ::)
 * @param nodeAdvertiseHost address the controller is told and redirect rules rewrite to
 *                          ({@code node_advertise_host}, else {@code node_host}); never a wildcard
 * @param nodePort          status/metrics HTTP port ({@code node_port})
 * @param portRange         ports for instances ({@code port_range})
 * @param controllerHost    where the controller's ZeroMQ endpoint is ({@code controller_host})
 * @param notificationPort  the controller's ZeroMQ port ({@code notification_port})
 * @param cachePath         cache directory ({@code cache_path})
 * @param keepAliveInterval {@code keep_alive_interval}
 * @param statRefresh       stat report period and {@code avg_load} window ({@code stat_refresh})
 * @param alertLoad         requests/s above which a load alert is sent ({@code alert_load})
 * @param alertDisk         disk bytes above which a disk alert is sent ({@code alert_disk})
 * @param maxDisk           disk tier bound ({@code max_disk})
 * @param maxCacheSize      memory tier bound ({@code max_cache_size})
 * @param maxItemSize       larger objects are passed through ({@code max_item_size})
 * @param cachePurgeTime    period of the active purge of expired objects ({@code cache_purge_time})
 * @param openflowSwitch    the switch's OpenFlow listener, e.g. {@code tcp:127.0.0.1:6653}; empty: no redirection
 * @param redirectLease     hard timeout of redirect rules ({@code redirect_lease})
 * @param horizon           default freshness for responses that state none ({@code horizon})
 * @param originConnectTimeout how long a TCP connect to an origin may take ({@code origin_connect_timeout})
 * @param originReadTimeout how long an origin may take to send the response headers, or stay silent
 *                          mid-body; also the fetch/seed command timeout ({@code origin_read_timeout})
 * @param sendfileMinSize   hits of at least this many bytes leave from the body file ({@code sendfile_min_size})
 * @param openBodyFiles     body files kept open for sendfile, {@code >= 1} ({@code open_body_files})
 * @param clientHeaderTimeout how long a client may take to send a request's line and headers
 *                          ({@code client_header_timeout})
 * @param maxConnectionsPerClient open connections one client address may have to the node's
 *                          instances together, 0 for no limit ({@code max_connections_per_client})
 * @param originDeny        address blocks no instance may fetch from, beyond the built-in ones ({@code origin_deny})
 * @param purgeAllow        client address blocks that may send {@code PURGE} to an instance ({@code purge_allow});
 *                          empty: nobody
 * @param linkKeys          CURVE on the node link: {@code link_secret_key} and {@code controller_public_key},
 *                          read and checked; empty: the link is not encrypted
 * @param logging           {@code log_path} and {@code verbosity}
 * @param nodeAdminHost     address of the status/metrics endpoint ({@code node_admin_host}, else {@code node_host})
 * @param statusTokens      with {@code status_tokens = true}, the tokens of {@code api_tokens_file}
 *                          that {@code /status} and {@code /metrics} require; empty: open
 * @param accessLog         {@code access_log} and {@code access_log_format}
 * @param responseRules     {@code targeted_cache_control}, {@code targeted_cache_control_forward},
 *                          {@code set_cookie} and {@code cache_authorized}
 */
public record NodeConfig(
        String nodeHost,
        String nodeAdvertiseHost,
        int nodePort,
        PortRange portRange,
        String controllerHost,
        int notificationPort,
        Path cachePath,
        Duration keepAliveInterval,
        Duration statRefresh,
        int alertLoad,
        long alertDisk,
        long maxDisk,
        long maxCacheSize,
        long maxItemSize,
        Duration cachePurgeTime,
        Optional<String> openflowSwitch,
        Duration redirectLease,
        Duration horizon,
        Duration originConnectTimeout,
        Duration originReadTimeout,
        long sendfileMinSize,
        int openBodyFiles,
        Duration clientHeaderTimeout,
        int maxConnectionsPerClient,
        List<AddressRange> originDeny,
        List<AddressRange> purgeAllow,
        Optional<NodeLinkKeys> linkKeys,
        LoggingConfig logging,
        String nodeAdminHost,
        Optional<ApiTokens> statusTokens,
        AccessLogConfig accessLog,
        ResponseRulesConfig responseRules) {

    /** Keeps the address lists immutable. */
    public NodeConfig {
        originDeny = List.copyOf(originDeny);
        purgeAllow = List.copyOf(purgeAllow);
    }
}
