package org.opencache.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), as
 * {@code origin_deny} lists them. A bare address is the block of that one address.
 *
 * <p>Parsing never consults DNS: only address literals are accepted, so a typo cannot turn into
 * a lookup at start.
 *
 * @param network      the first address of the block (host bits zero)
 * @param prefixLength how many leading bits are fixed: 0-32 for IPv4, 0-128 for IPv6
 */
public record AddressRange(InetAddress network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,3}");

    /** Checks that the block is well formed. */
    public AddressRange {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0-" + bits);
        }
        if (!Arrays.equals(network.getAddress(), masked(network.getAddress(), prefixLength))) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength
                    + " has bits set after the prefix (the block starts at "
                    + literal(masked(network.getAddress(), prefixLength)) + ")");
        }
    }

    /**
     * Reads {@code ADDRESS/PREFIX} or a bare {@code ADDRESS}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static AddressRange parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        InetAddress network = literal(address, value);
        int bits = network.getAddress().length * 8;
        if (slash < 0) {
            return new AddressRange(network, bits);
        }
        String prefix = value.substring(slash + 1);
        if (!DIGITS.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("'" + value + "': the prefix length must be 0-" + bits);
        }
        return new AddressRange(network, Integer.parseInt(prefix));
    }

    /**
     * {@return the address a literal names ({@code 10.0.0.1}, {@code fd00::1}), or empty for
     * anything else, a host name included; never a DNS lookup}
     */
    public static Optional<InetAddress> literal(String text) {
        try {
            return Optional.of(literal(text, text));
        } catch (IllegalArgumentException notALiteral) {
            return Optional.empty();
        }
    }

    /** Whether {@code address} lies in the block; an IPv4 address never lies in an IPv6 block, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.getAddress().length
                && Arrays.equals(masked(bytes, prefixLength), network.getAddress());
    }

    /** The block as written in CIDR notation, e.g. {@code 10.0.0.0/8}. */
    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress literal(String address, String whole) {
        if (!IPV4.matcher(address).matches() && !IPV6_CHARACTERS.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + whole + "' is not an IPv4 or IPv6 address block (use e.g. 10.0.0.0/8 or fd00::/8)");
        }
        try {
            // Only literals reach here (digits and dots, or hex digits and colons): no DNS lookup.
            // An IPv4-mapped IPv6 literal (::ffff:10.0.0.1) comes back as the IPv4 address it maps.
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + whole + "' is not an IPv4 or IPv6 address block (use e.g. 10.0.0.0/8 or fd00::/8)");
        }
    }

    private static byte[] masked(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    private static String literal(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
