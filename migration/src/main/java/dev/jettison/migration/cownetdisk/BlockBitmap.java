package dev.jettison.migration.cownetdisk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Two bits per 4 KiB block saying which slice holds it, persisted so that the slices survive a
 * server restart. The file is written whole to a temporary name, synced and renamed over the old
 * one, so a crash leaves either the old bitmap or the new one, never a mix.
 * <pre>magic "JTCOWBM1" | u32 version | u64 blocks | u64 capacity bytes | packed states | u32 CRC32C</pre>
 */
final class BlockBitmap {
    private static final long MAGIC = 0x4A54434F57424D31L; // "JTCOWBM1"
    private static final int VERSION = 1;
    private static final int HEADER = 8 + 4 + 8 + 8;

    private final long blocks;
    private final long capacityBytes;
    private final byte[] bits;
    private boolean changed;

    BlockBitmap(long blocks, long capacityBytes) {
        if (blocks < 0 || (blocks + 3) / 4 > Integer.MAX_VALUE - 64) throw new IllegalArgumentException("disk too large: " + blocks + " blocks");
        this.blocks = blocks;
        this.capacityBytes = capacityBytes;
        this.bits = new byte[(int) ((blocks + 3) / 4)];
    }

    long blocks() { return blocks; }

    BlockState get(long b) {
        int shift = (int) (b & 3) * 2;
        return BlockState.values()[(bits[(int) (b >>> 2)] >>> shift) & 3];
    }

    void set(long b, BlockState s) {
        int i = (int) (b >>> 2);
        int shift = (int) (b & 3) * 2;
        bits[i] = (byte) ((bits[i] & ~(3 << shift)) | (s.ordinal() << shift));
        changed = true;
    }

    boolean changed() { return changed; }

    /** Writes the bitmap atomically (temp file, fsync, rename, directory fsync). */
    void save(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER + bits.length + 4);
        b.putLong(MAGIC).putInt(VERSION).putLong(blocks).putLong(capacityBytes).put(bits);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        changed = false;
    }

    /** Reads a saved bitmap; every inconsistency is an IOException naming the file and what was wrong. */
    static BlockBitmap load(Path file, long blocks, long capacityBytes) throws IOException {
        byte[] a = Files.readAllBytes(file);
        long expected = HEADER + (blocks + 3) / 4 + 4;
        if (a.length != expected) throw new IOException(file + ": " + a.length + " bytes, expected " + expected + " for " + blocks + " blocks");
        ByteBuffer b = ByteBuffer.wrap(a);
        if (b.getLong() != MAGIC) throw new IOException(file + ": not a cownetdisk bitmap (bad magic)");
        int version = b.getInt();
        if (version != VERSION) throw new IOException(file + ": bitmap version " + version + ", this build reads " + VERSION);
        long n = b.getLong();
        long cap = b.getLong();
        if (n != blocks || cap != capacityBytes) {
            throw new IOException(file + ": bitmap is for a disk of " + cap + " bytes (" + n + " blocks), not " + capacityBytes);
        }
        CRC32C crc = new CRC32C();
        crc.update(a, 0, a.length - 4);
        if ((int) crc.getValue() != b.getInt(a.length - 4)) throw new IOException(file + ": bitmap checksum mismatch");
        BlockBitmap m = new BlockBitmap(blocks, capacityBytes);
        b.get(m.bits);
        for (long i = 0; i < blocks; i++) {
            if (((m.bits[(int) (i >>> 2)] >>> ((i & 3) * 2)) & 3) == 3) throw new IOException(file + ": block " + i + " has an undefined state");
        }
        return m;
    }
}
