package dev.jettison.migration.wire;

/** Constants of the frame format (docs/wire-protocol.md). */
public final class Wire {
    private Wire() {}

    /** "JTSN": lets a reader that was handed the wrong stream say so at once. */
    public static final int MAGIC = 0x4A54534E;
    public static final int VERSION = 1;
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

    /** A VM id is printable ASCII without spaces or commas, because it ends up in CSV and file names. */
    public static boolean validVmId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_VM_ID_BYTES) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
