package dev.jettison.migration.cownetdisk;

import dev.jettison.migration.memtap.Backoff;
import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.migration.wire.Wire;
import dev.jettison.vmm.devices.virtio.BlockBackend;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * cownetdisk (§4): the server-side virtio-blk backend of a consolidated VM whose disk stays on
 * the desktop. Two sparse slices and a bitmap: blocks the guest only read are fetched from the
 * desktop's diskserv into the read-only slice; blocks it writes are promoted to the dirty slice,
 * which is all that goes back at reintegration. A write covering a whole 4 KiB block never
 * fetches (§3.1: "first block accesses that result in whole block writes are handled locally");
 * a partial write of a block not yet here fetches it first.
 *
 * <p>Durability: {@link #flush()} syncs both slices, then replaces the bitmap atomically, so
 * after a server restart {@link #open} finds every block flushed before, without refetching.
 * A crash loses only writes since the last flush, as a disk's write cache would.
 */
public final class CowNetDisk implements BlockBackend {
    static final String READ_ONLY_SLICE = "readonly.slice";
    static final String DIRTY_SLICE = "dirty.slice";
    static final String BITMAP = "blocks.bitmap";
    private static final int BLOCK = Wire.BLOCK_SIZE;
    /** Longest run fetched in one request: bounds how long one guest read waits on one reply. */
    private static final int MAX_FETCH_RUN = 256;

    /** How to reach the desktop and what to record. */
    public record Options(Backoff backoff, DesktopWaker waker, Duration requestTimeout, FaultTrace trace) {
        public static Options defaults() {
            return new Options(Backoff.DEFAULT, DesktopWaker.NONE, Duration.ofSeconds(5), FaultTrace.NONE);
        }

        public Options withWaker(DesktopWaker w) { return new Options(backoff, w, requestTimeout, trace); }

        public Options withTrace(FaultTrace t) { return new Options(backoff, waker, requestTimeout, t); }

        public Options withBackoff(Backoff b) { return new Options(b, waker, requestTimeout, trace); }
    }

    /** Counters since open. */
    public record Stats(long fetchedBlocks, long fetchRequests, long zeroBlocks, long bytesFetched, long promotions,
                        long dirtyBlocks, long connects) {}

    private final Path dir;
    private final long capacityBytes;
    private final long blocks;
    private final FileChannel readOnly;
    private final FileChannel dirty;
    private final BlockBitmap bitmap;
    private final RemoteBlocks remote;
    private final FaultTrace trace;
    private long fetchedBlocks, zeroBlocks, bytesFetched, promotions;
    private boolean closed;

    private CowNetDisk(Path dir, long capacityBytes, FileChannel readOnly, FileChannel dirty, BlockBitmap bitmap,
                       RemoteBlocks remote, FaultTrace trace) {
        this.dir = dir;
        this.capacityBytes = capacityBytes;
        this.blocks = Wire.blocksFor(capacityBytes);
        this.readOnly = readOnly;
        this.dirty = dirty;
        this.bitmap = bitmap;
        this.remote = remote;
        this.trace = trace;
    }

    public static CowNetDisk open(Path dir, StateSource desktop, long capacityBytes) throws IOException {
        return open(dir, desktop, capacityBytes, Options.defaults());
    }

    /**
     * Opens the slices in {@code dir}: continues from a flushed bitmap if there is one (a server
     * restart), otherwise starts empty. {@code capacityBytes} must equal the desktop image's size
     * (the diskserv handshake checks it). Connects to the desktop only when a block is first needed.
     */
    public static CowNetDisk open(Path dir, StateSource desktop, long capacityBytes, Options options)
            throws IOException {
        if (capacityBytes <= 0 || capacityBytes % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("disk capacity must be a positive number of 512-byte sectors: " + capacityBytes);
        }
        Files.createDirectories(dir);
        long blocks = Wire.blocksFor(capacityBytes);
        Path bm = dir.resolve(BITMAP);
        boolean resume = Files.exists(bm);
        BlockBitmap bitmap;
        if (resume) {
            bitmap = BlockBitmap.load(bm, blocks, capacityBytes);
            for (String s : new String[]{READ_ONLY_SLICE, DIRTY_SLICE}) {
                if (!Files.exists(dir.resolve(s))) throw new IOException(dir.resolve(s) + " is missing but " + bm + " exists");
            }
        } else {
            bitmap = new BlockBitmap(blocks, capacityBytes);
            // Fresh slices: a block fetched as all-zero is never written, so its area must read as zero.
            for (String s : new String[]{READ_ONLY_SLICE, DIRTY_SLICE}) {
                try (var f = new RandomAccessFile(dir.resolve(s).toFile(), "rw")) {
                    f.setLength(0);
                    f.setLength(blocks * BLOCK); // sparse: costs no disk until written
                }
            }
        }
        FileChannel ro = FileChannel.open(dir.resolve(READ_ONLY_SLICE), StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel dy;
        try {
            dy = FileChannel.open(dir.resolve(DIRTY_SLICE), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            ro.close();
            throw e;
        }
        var remote = new RemoteBlocks(desktop.connector(), desktop.hello(0, capacityBytes), options.backoff(), options.waker(),
                options.requestTimeout(), desktop.onEnded());
        var disk = new CowNetDisk(dir, capacityBytes, ro, dy, bitmap, remote, options.trace());
        if (!resume) disk.flush();
        return disk;
    }

    @Override
    public long capacitySectors() { return capacityBytes / SECTOR_SIZE; }

    @Override
    public boolean readOnly() { return false; }

    public long blocks() { return blocks; }

    public synchronized BlockState state(long block) {
        checkBlock(block);
        return bitmap.get(block);
    }

    @Override
    public synchronized void read(long sector, MemorySegment dst) throws IOException {
        long off = byteOffset(sector, dst.byteSize(), "read");
        long end = off + dst.byteSize();
        if (dst.byteSize() == 0) return;
        List<Long> absent = new ArrayList<>();
        for (long b = off / BLOCK; b <= (end - 1) / BLOCK; b++) if (bitmap.get(b) == BlockState.ABSENT) absent.add(b);
        fetch(absent, false);
        for (long b = off / BLOCK; b <= (end - 1) / BLOCK; b++) {
            long lo = Math.max(off, b * BLOCK), hi = Math.min(end, (b + 1) * BLOCK);
            readFully(bitmap.get(b) == BlockState.DIRTY ? dirty : readOnly, dst.asSlice(lo - off, hi - lo), lo);
        }
    }

    @Override
    public synchronized void write(long sector, MemorySegment src) throws IOException {
        long off = byteOffset(sector, src.byteSize(), "write");
        long end = off + src.byteSize();
        if (src.byteSize() == 0) return;
        long first = off / BLOCK, last = (end - 1) / BLOCK;
        // Only a partially written block needs its old content, and only the first and last can be partial.
        List<Long> need = new ArrayList<>(2);
        for (long b : first == last ? new long[]{first} : new long[]{first, last}) {
            if (!covers(b, off, end) && bitmap.get(b) == BlockState.ABSENT) need.add(b);
        }
        fetch(need, true);
        for (long b = first; b <= last; b++) {
            long lo = Math.max(off, b * BLOCK), hi = Math.min(end, (b + 1) * BLOCK);
            MemorySegment part = src.asSlice(lo - off, hi - lo);
            BlockState s = bitmap.get(b);
            if (s != BlockState.DIRTY && !covers(b, off, end)) {
                // Promotion of a partially written block: the dirty slice gets the whole block, old bytes and new.
                ByteBuffer whole = ByteBuffer.allocate(BLOCK);
                readFully(readOnly, MemorySegment.ofBuffer(whole), b * BLOCK);
                MemorySegment.copy(part, 0, MemorySegment.ofBuffer(whole), lo - b * BLOCK, hi - lo);
                writeFully(dirty, MemorySegment.ofBuffer(whole), b * BLOCK);
            } else {
                writeFully(dirty, part, lo);
            }
            if (s != BlockState.DIRTY) {
                bitmap.set(b, BlockState.DIRTY);
                promotions++;
            }
        }
    }

    /** True if [off, end) covers every byte of block {@code b} that lies within the disk. */
    private boolean covers(long b, long off, long end) {
        return off <= b * BLOCK && end >= Math.min((b + 1) * BLOCK, capacityBytes);
    }

    /** Fetches the given absent blocks (ascending) from the desktop, one request per contiguous run. */
    private void fetch(List<Long> absent, boolean forWrite) throws IOException {
        int i = 0;
        while (i < absent.size()) {
            long start = absent.get(i);
            int n = 1;
            while (i + n < absent.size() && absent.get(i + n) == start + n && n < MAX_FETCH_RUN) n++;
            byte[][] data = remote.fetch(start, n);
            for (int k = 0; k < n; k++) {
                long b = start + k;
                trace.record(FaultTrace.Kind.BLOCK, b, forWrite, false);
                if (data[k] == null) {
                    zeroBlocks++; // the fresh slice already reads as zeros there
                } else {
                    writeFully(readOnly, MemorySegment.ofArray(data[k]), b * BLOCK);
                    bytesFetched += BLOCK;
                }
                bitmap.set(b, BlockState.FETCHED);
                fetchedBlocks++;
            }
            i += n;
        }
    }

    /** The whole 4 KiB of block {@code b} as the guest sees it (fetched first if absent): for reintegration. */
    public synchronized byte[] readBlock(long b) throws IOException {
        checkBlock(b);
        if (bitmap.get(b) == BlockState.ABSENT) fetch(List.of(b), false);
        byte[] out = new byte[BLOCK];
        readFully(bitmap.get(b) == BlockState.DIRTY ? dirty : readOnly, MemorySegment.ofArray(out), b * BLOCK);
        return out;
    }

    /** Blocks written on the server, ascending: exactly what reintegration sends back. */
    public synchronized long[] dirtyBlocks() {
        long n = 0;
        for (long b = 0; b < blocks; b++) if (bitmap.get(b) == BlockState.DIRTY) n++;
        long[] out = new long[(int) n];
        int i = 0;
        for (long b = 0; b < blocks; b++) if (bitmap.get(b) == BlockState.DIRTY) out[i++] = b;
        return out;
    }

    public synchronized long fetchedBlocks() { return fetchedBlocks; }

    public synchronized Stats stats() {
        return new Stats(fetchedBlocks, remote.requests(), zeroBlocks, bytesFetched, promotions, dirtyBlocks().length,
                remote.connects());
    }

    @Override
    public synchronized void flush() throws IOException {
        if (closed) throw new IOException("cownetdisk in " + dir + " is closed");
        readOnly.force(false);
        dirty.force(false);
        // After the slices: the bitmap must never name a block whose data is not yet durable.
        if (bitmap.changed()) bitmap.save(dir.resolve(BITMAP));
    }

    /**
     * Closes the connection to the desktop (a guest request still waiting for it fails), then
     * flushes and closes the slices.
     */
    @Override
    public void close() throws IOException {
        remote.close(); // first, outside the lock: a read waiting for the desktop gives up and frees it
        synchronized (this) {
            if (closed) return;
            try {
                flush();
            } finally {
                closed = true;
                try {
                    readOnly.close();
                } finally {
                    dirty.close();
                }
            }
        }
    }

    private long byteOffset(long sector, long length, String op) throws IOException {
        if (closed) throw new IOException("cownetdisk in " + dir + " is closed");
        if (length % SECTOR_SIZE != 0) throw new IOException(op + " of " + length + " bytes is not whole 512-byte sectors");
        long sectors = length / SECTOR_SIZE;
        if (sector < 0 || sector > capacitySectors() || sectors > capacitySectors() - sector) {
            throw new IOException(op + " of " + sectors + " sectors at sector " + sector + " runs past the disk's "
                    + capacitySectors() + " sectors");
        }
        return sector * SECTOR_SIZE;
    }

    private void checkBlock(long b) {
        if (b < 0 || b >= blocks) throw new IndexOutOfBoundsException("block " + b + " outside the disk's " + blocks + " blocks");
    }

    private static void readFully(FileChannel ch, MemorySegment dst, long pos) throws IOException {
        ByteBuffer buf = dst.asByteBuffer();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                // A sparse slice shorter than expected reads as zeros, like the holes inside it.
                while (buf.hasRemaining()) buf.put((byte) 0);
                return;
            }
        }
    }

    private static void writeFully(FileChannel ch, MemorySegment src, long pos) throws IOException {
        ByteBuffer buf = src.asByteBuffer();
        while (buf.hasRemaining()) ch.write(buf, pos + buf.position());
    }
}
