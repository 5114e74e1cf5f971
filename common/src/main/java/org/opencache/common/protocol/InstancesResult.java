package org.opencache.common.protocol;

import java.util.List;

/**
 * The result of {@code start}, {@code stop} and {@code pause}: the instances the command touched,
 * in their new state, which the controller records.
 *
 * <pre>{"instances": [{"expr": "example.com", "status": "start", "port": 49003, "horizon": 60}]}</pre>
 *
 * @param instances the touched instances
 */
public record InstancesResult(List<InstanceState> instances) {

    /** Requires a list without holes. */
    public InstancesResult {
        instances = Payloads.instances(instances, "instances");
    }
}
