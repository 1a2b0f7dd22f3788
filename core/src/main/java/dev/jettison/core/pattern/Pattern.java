package dev.jettison.core.pattern;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The verification pattern the test guest's {@code pattern} program writes (guest/README.md),
 * as a pure function so that the host can check guest memory and disks byte-exactly: 4 KiB
 * block b of region r at epoch e is 512 little-endian words, word i = mix(seed ^ r<<62 ^ e<<40
 * ^ b<<9 ^ i). After K round-robin rewrites of n blocks, block b is at epoch
 * floor(K/n) + (b < K mod n ? 1 : 0).
 */
public final class Pattern {
    public static final int BLOCK = 4096;
    public static final int REGION_MEMORY = 0, REGION_DISK = 1;
    /** "JTSPAT01" little-endian: the disk header's magic. */
    public static final long DISK_MAGIC = 0x313054415053544AL;

    private Pattern() {}

    /** SplitMix64's finalizer (Steele, Lea, Flood 2014). */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long word(long seed, int region, long epoch, long block, int i) {
        return mix(seed ^ ((long) region << 62) ^ (epoch << 40) ^ (block << 9) ^ i);
    }

    public static long epoch(long block, long nblocks, long rewrites) {
        return rewrites / nblocks + (block < rewrites % nblocks ? 1 : 0);
    }

    /** Fills {@code out} (one block) with the expected content. */
    public static void fill(ByteBuffer out, long seed, int region, long epoch, long block) {
        var le = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < BLOCK / 8; i++) le.putLong(i * 8, word(seed, region, epoch, block, i));
    }

    /** Counts the bytes of {@code actual} (one block) that differ from the expected content. */
    public static int badBytes(ByteBuffer actual, long seed, int region, long epoch, long block) {
        var le = actual.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int bad = 0;
        for (int i = 0; i < BLOCK / 8; i++) {
            long diff = le.getLong(i * 8) ^ word(seed, region, epoch, block, i);
            if (diff != 0) for (int b = 0; b < 8; b++) if (((diff >>> (8 * b)) & 0xFF) != 0) bad++;
        }
        return bad;
    }
}
