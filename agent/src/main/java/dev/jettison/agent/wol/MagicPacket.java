package dev.jettison.agent.wol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Wake-on-LAN magic packet that remoteWakeup sends (paper §4): six 0xFF bytes, then the
 * target's MAC address sixteen times, as the payload of a UDP datagram.
 */
public final class MagicPacket {
    public static final int LENGTH = 6 + 16 * 6;
    private static final int REPEATS = 16;

    private MagicPacket() {}

    public static byte[] of(MacAddress mac) {
        byte[] p = new byte[LENGTH];
        Arrays.fill(p, 0, 6, (byte) 0xFF);
        byte[] m = mac.bytes();
        for (int i = 0; i < REPEATS; i++) System.arraycopy(m, 0, p, 6 + 6 * i, 6);
        return p;
    }

    /**
     * The MAC a received datagram wakes, or why it is not a magic packet. Trailing bytes (a
     * SecureOn password) are allowed, as NICs allow them.
     */
    public static Optional<MacAddress> parse(byte[] data, int length, StringBuilder why) {
        if (length < LENGTH) {
            why.append(length).append(" bytes: a magic packet has at least ").append(LENGTH);
            return Optional.empty();
        }
        for (int i = 0; i < 6; i++) {
            if (data[i] != (byte) 0xFF) {
                why.append("byte ").append(i).append(" is not 0xFF: no synchronisation stream");
                return Optional.empty();
            }
        }
        byte[] mac = Arrays.copyOfRange(data, 6, 12);
        for (int r = 1; r < REPEATS; r++) {
            if (!Arrays.equals(data, 6 + 6 * r, 12 + 6 * r, mac, 0, 6)) {
                why.append("repeat ").append(r + 1).append(" of the MAC differs from the first");
                return Optional.empty();
            }
        }
        return Optional.of(new MacAddress(mac));
    }
}
