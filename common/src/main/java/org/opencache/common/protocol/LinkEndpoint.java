package org.opencache.common.protocol;

/**
 * The ZeroMQ address of the controller's link endpoint, {@code tcp://controller_host:notification_port}:
 * where the controller binds and nodes connect, written the same way on both sides.
 */
public final class LinkEndpoint {
    private LinkEndpoint() {
    }

    /** {@code tcp://host:port}, with an IPv6 literal in brackets ({@code tcp://[::1]:50001}). */
    public static String tcp(String host, int port) {
        return "tcp://" + (isIpv6(host) && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether {@code host} is an IPv6 literal, for which the socket must have IPv6 enabled. */
    public static boolean isIpv6(String host) {
        return host.indexOf(':') >= 0;
    }
}
