package dev.jettison.core.pattern;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Verifies, from outside the guest, a disk image the pattern program wrote: block 0 holds
 * "JTSPAT01", seed, nblocks and the rewrite count K; blocks 1..n hold the pattern.
 */
public final class DiskPatternCheck {
    public record Result(long seed, long blocks, long rewrites, long badBytes) {}

    private DiskPatternCheck() {}

    public static Result check(Path image) throws IOException {
        try (var ch = FileChannel.open(image, StandardOpenOption.READ)) {
            var header = ByteBuffer.allocate(Pattern.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header, 0);
            if (header.getLong(0) != Pattern.DISK_MAGIC) {
                throw new IOException(image + " has no pattern header (\"JTSPAT01\" at byte 0)");
            }
            long seed = header.getLong(8), n = header.getLong(16), k = header.getLong(24);
            if (n <= 0 || (n + 1) * Pattern.BLOCK > ch.size()) {
                throw new IOException(image + " header claims " + n + " blocks but the image has " + ch.size() + " bytes");
            }
            var block = ByteBuffer.allocate(Pattern.BLOCK);
            long bad = 0;
            for (long b = 0; b < n; b++) {
                block.clear();
                readFully(ch, block, (b + 1) * Pattern.BLOCK);
                bad += Pattern.badBytes(block, seed, Pattern.REGION_DISK, Pattern.epoch(b, n, k), b);
            }
            return new Result(seed, n, k, bad);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw new IOException("unexpected end of image at " + (pos + buf.position()));
        }
        buf.flip();
    }
}
