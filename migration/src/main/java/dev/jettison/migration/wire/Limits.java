package dev.jettison.migration.wire;

/**
 * What a decoder accepts: the largest payload it will allocate, the longest run one request may
 * ask for, and the VM's size in 4 KiB pages and blocks (from the Hello), against which every page
 * and block number read off the wire is checked.
 */
public record Limits(int maxPayloadBytes, int maxRunLength, long ramPages, long diskBlocks) {
    /**
     * 8 MiB: a batch of ~2000 dirty pages per frame, large enough that reintegration is bound by the
     * link and not by frame overhead, small enough that a hostile length costs little memory.
     */
    public static final int DEFAULT_MAX_PAYLOAD = 8 << 20;
    /** 1024 pages (4 MiB) per request: far above the 20-page pivot window of §3.4. */
    public static final int DEFAULT_MAX_RUN = 1024;
    /** Guest RAM beyond 1 TiB or disks beyond 64 TiB are refused in a Hello. */
    public static final long MAX_RAM_BYTES = 1L << 40;
    public static final long MAX_DISK_BYTES = 1L << 46;

    public Limits {
        if (maxPayloadBytes < 64) throw new IllegalArgumentException("max payload must be >= 64 bytes: " + maxPayloadBytes);
        if (maxRunLength < 1) throw new IllegalArgumentException("max run must be >= 1: " + maxRunLength);
        if (ramPages < 0 || diskBlocks < 0) throw new IllegalArgumentException("VM size must be >= 0");
    }

    /**
     * Largest frame accepted before the Hello: a Hello, or an Error refusing one, and nothing more,
     * so a peer that has not said who it is cannot make us hold megabytes.
     */
    public static final int BEFORE_HELLO_MAX_PAYLOAD = 2048;

    /** Before the Hello nothing about the VM is known, so every page and block number is out of range. */
    public static Limits beforeHello() {
        return new Limits(BEFORE_HELLO_MAX_PAYLOAD, DEFAULT_MAX_RUN, 0, 0);
    }

    /** Limits for the VM a Hello describes. */
    public static Limits of(Message.Hello hello) {
        // The payload limit is the full one from here on: the Hello's sender may send batches and descriptors.
        return new Limits(DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_RUN, hello.ramBytes() / Wire.PAGE_SIZE,
                Wire.blocksFor(hello.diskBytes()));
    }

    public Limits withPayload(int maxPayloadBytes) {
        return new Limits(maxPayloadBytes, maxRunLength, ramPages, diskBlocks);
    }
}
