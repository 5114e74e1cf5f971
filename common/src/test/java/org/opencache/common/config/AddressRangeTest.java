package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    @Test
    void ipv4BlockContainsItsAddressesAndNoOthers() throws Exception {
        AddressRange block = AddressRange.parse("10.64.0.0/10");
        assertTrue(block.contains(InetAddress.getByName("10.64.0.0")));
        assertTrue(block.contains(InetAddress.getByName("10.127.255.255")));
        assertFalse(block.contains(InetAddress.getByName("10.128.0.0")));
        assertFalse(block.contains(InetAddress.getByName("10.63.255.255")));
        assertEquals("10.64.0.0/10", block.toString());
    }

    @Test
    void ipv6BlockContainsItsAddressesAndNoIpv4Ones() throws Exception {
        AddressRange block = AddressRange.parse("fd00::/8");
        assertTrue(block.contains(InetAddress.getByName("fdab:1::7")));
        assertFalse(block.contains(InetAddress.getByName("fe80::1")));
        assertFalse(block.contains(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void bareAddressIsABlockOfOne() throws Exception {
        AddressRange one = AddressRange.parse("203.0.113.7");
        assertEquals(32, one.prefixLength());
        assertTrue(one.contains(InetAddress.getByName("203.0.113.7")));
        assertFalse(one.contains(InetAddress.getByName("203.0.113.8")));
        assertEquals(128, AddressRange.parse("::1").prefixLength());
    }

    @Test
    void zeroPrefixCoversEveryAddressOfItsFamily() throws Exception {
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("198.51.100.1")));
        assertTrue(AddressRange.parse("::/0").contains(InetAddress.getByName("2001:db8::1")));
    }
}
