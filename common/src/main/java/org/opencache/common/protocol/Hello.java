package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The params of {@code hello}: who the node is and which instances it runs, so that the
 * controller can rebuild its view after either side restarts.
 *
 * <pre>{"uuid": "5f0c…", "host": "10.0.0.3", "node_port": 49002, "version": "0.1.0",
 *  "instances": [{"expr": "example.com", "status": "start", "port": 49003, "horizon": 0}]}</pre>
 *
 * @param uuid      the node's persistent identity; also its socket identity
 * @param host      address its instances listen on
 * @param nodePort  its status/metrics HTTP port
 * @param version   its software version
 * @param instances every instance it has, in any state
 */
public record Hello(
        String uuid,
        String host,
        @JsonProperty("node_port") int nodePort,
        String version,
        List<InstanceState> instances) {

    /** Requires uuid and host; a missing version or instance list reads as unknown and none. */
    public Hello {
        Payloads.require(uuid, "uuid");
        Payloads.require(host, "host");
        if (nodePort < 0 || nodePort > 65_535) {
            throw new IllegalArgumentException("'node_port' must be a port number (0-65535), not " + nodePort);
        }
        version = version == null ? "unknown" : version;
        instances = Payloads.instances(instances, "instances");
    }
}
