package dev.jettison.migration.wire;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A consolidation epoch: 128 random bits chosen by the desktop when it consolidates a VM, carried
 * by every Hello of that consolidation (control, pages, blocks) and naming the server's state for
 * it. A server's request for an epoch the desktop has ended is refused, and state of an earlier
 * epoch is never read as current: the second consolidation of a VM starts clean.
 */
public record SessionId(long high, long low) {
    /** No session: what a Hello carries before one exists; every service refuses it. */
    public static final SessionId NONE = new SessionId(0, 0);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static SessionId random() {
        long h, l;
        do {
            h = RANDOM.nextLong();
            l = RANDOM.nextLong();
        } while (h == 0 && l == 0);
        return new SessionId(h, l);
    }

    /** Parses the 32 hex digits of {@link #hex()}; anything else is refused with the reason. */
    public static SessionId parse(String hex) {
        if (hex == null || hex.length() != 32) {
            throw new IllegalArgumentException("a session id is 32 hex digits, not '" + hex + "'");
        }
        try {
            return new SessionId(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a session id is 32 hex digits, not '" + hex + "'", e);
        }
    }

    public boolean isNone() { return high == 0 && low == 0; }

    /** 32 lower-case hex digits: safe in file names. */
    public String hex() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    @Override
    public String toString() { return hex().substring(0, 8); }
}
