package dev.jettison.agent.wol;

import java.util.Arrays;
import java.util.HexFormat;

/** An Ethernet MAC address, parsed from "52:54:00:12:34:56" (or with dashes). */
public record MacAddress(byte[] bytes) {
    public MacAddress {
        if (bytes.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        bytes = bytes.clone();
    }

    public static MacAddress parse(String text) {
        String[] parts = text.strip().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected six hex pairs like 52:54:00:12:34:56)");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("'" + text + "': part " + (i + 1) + " '" + parts[i] + "' is not two hex digits");
            }
            try {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': part " + (i + 1) + " '" + parts[i] + "' is not hex");
            }
        }
        return new MacAddress(b);
    }

    /** The MAC in the low 48 bits of {@code value}, as the wire protocol's Endpoints carry it. */
    public static MacAddress of(long value) {
        if (value < 0 || value > 0xFFFF_FFFF_FFFFL) throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) (value >>> (8 * (5 - i)));
        return new MacAddress(b);
    }

    /** This MAC in the low 48 bits. */
    public long toLong() {
        long v = 0;
        for (byte x : bytes) v = (v << 8) | (x & 0xFF);
        return v;
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    @Override
    public boolean equals(Object o) { return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }

    @Override
    public String toString() { return HexFormat.ofDelimiter(":").formatHex(bytes); }
}
