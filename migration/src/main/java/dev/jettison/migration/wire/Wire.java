package dev.jettison.migration.wire;

/** Constants of the frame format (docs/wire-protocol.md). */
public final class Wire {
    private Wire() {}

    /** "JTSN": lets a reader that was handed the wrong stream say so at once. */
    public static final int MAGIC = 0x4A54534E;
    /** 2: the Hello carries the consolidation epoch; Attach, Release, Ping, Pong and GoHome exist. */
    public static final int VERSION = 2;
    /** magic u32, version u8, type u8, flags u16, payload length u32. */
    public static final int HEADER_BYTES = 12;
    /** CRC32C of header and payload. */
    public static final int TRAILER_BYTES = 4;
    /** Guest pages and disk blocks both move in 4 KiB units. */
    public static final int PAGE_SIZE = 4096;
    public static final int BLOCK_SIZE = 4096;
    /** Longest VM id: it names trace files and log lines. */
    public static final int MAX_VM_ID_BYTES = 64;
    /** Longest Error text; longer ones are cut when encoded. */
    public static final int MAX_ERROR_TEXT_BYTES = 1024;

    /** 4 KiB blocks covering {@code bytes}, the last one possibly partial. */
    public static long blocksFor(long bytes) {
        return (bytes + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    public static final String VM_ID_RULE = "1-64 of [A-Za-z0-9._-], starting with a letter or digit";

    /**
     * A VM id names a folder on the server and rows in CSV files, so it is a safe file name: no
     * separators, no spaces, and it cannot be "." or ".." or start with a dot or dash.
     */
    public static boolean validVmId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_VM_ID_BYTES) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && (i == 0 || c != '-' && c != '_' && c != '.')) return false;
        }
        return true;
    }
}
