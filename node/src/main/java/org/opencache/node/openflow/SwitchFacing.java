package org.opencache.node.openflow;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.HexFormat;

/**
 * The node's side of the switch: {@code node_advertise_host} ({@code node_host} unless set) as
 * an IPv4 address, which redirect rules rewrite destinations to, and the MAC of the
 * interface that owns it, which request-in rules write as eth_dst so that NORMAL forwarding
 * delivers rewritten packets to the node's port.
 *
 * @param address {@code node_advertise_host}
 * @param mac     {@code aa:bb:cc:dd:ee:ff}
 * @param iface   the interface's name, e.g. {@code eth0}
 */
public record SwitchFacing(Inet4Address address, String mac, String iface) {
    /**
     * Looks up the interface that owns {@code nodeHost}, the advertised address ({@code node_host}
     * may be a wildcard, which no interface owns).
     *
     * @throws IOException when the host is not a local IPv4 address on an interface with a MAC
     */
    public static SwitchFacing of(String nodeHost) throws IOException {
        InetAddress address = InetAddress.getByName(nodeHost);
        if (!(address instanceof Inet4Address ipv4)) {
            throw new IOException("node address " + nodeHost + " (node_advertise_host, else node_host)" + " is not an IPv4 address; OpenFlow redirection needs one");
        }
        NetworkInterface owner = NetworkInterface.getByInetAddress(ipv4);
        if (owner == null) {
            throw new IOException("node address " + nodeHost + " (node_advertise_host, else node_host)" + " is not an address of this machine");
        }
        byte[] mac = owner.getHardwareAddress();
        if (mac == null || mac.length != 6) {
            throw new IOException("node address " + nodeHost + " (node_advertise_host, else node_host)" + " is on interface " + owner.getName()
                    + ", which has no MAC address; with openflow_switch set, node_advertise_host (node_host"
                    + " unless set) must be the address of the interface facing the switch");
        }
        return new SwitchFacing(ipv4, HexFormat.ofDelimiter(":").formatHex(mac), owner.getName());
    }
}
