package dev.jettison.vmm.devices.virtio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * virtio-blk over a {@link BlockBackend}. Requests are served synchronously on the vCPU thread
 * that kicked the queue: simple, and a desktop VM's disk is rarely the bottleneck. Every request
 * ends with a status byte; the guest's errors (bad sector range, unknown type) come back as
 * statuses, and only malformed chains (no room for a header or status) break the queue.
 */
public final class VirtioBlock implements VirtioDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VirtioBlock.class);

    public static final int F_SEG_MAX = 1 << 2, F_RO = 1 << 5, F_BLK_SIZE = 1 << 6, F_FLUSH = 1 << 9;
    public static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
    public static final int S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    public static final int SEG_MAX = 126, ID_BYTES = 20, HEADER_BYTES = 16;
    /** capacity, size_max, seg_max, geometry, blk_size: the legacy layout up to what we offer. */
    static final int CONFIG_BYTES = 0x18;
    static final int PCI_CLASS_STORAGE_SCSI = 0x010000;
    private static final int SECTOR = BlockBackend.SECTOR_SIZE;
    private static final int MAX_REPORTS = 16;
    /** Requests whose buffers split sectors go through a host buffer; drivers never make big ones. */
    static final long MAX_BOUNCE = 4 << 20;

    private final BlockBackend backend;
    private final byte[] serial;
    private final byte[] config;
    private VirtioContext context;
    private int reports;

    /** @param serial the id returned by GET_ID (up to 20 ASCII bytes, e.g. the VM's disk name) */
    public VirtioBlock(BlockBackend backend, String serial) {
        this.backend = backend;
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        this.serial = Arrays.copyOf(s, Math.min(s.length, ID_BYTES));
        ByteBuffer c = ByteBuffer.allocate(CONFIG_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(0x00, backend.capacitySectors());
        c.putInt(0x0C, SEG_MAX);
        c.putInt(0x14, SECTOR);
        this.config = c.array();
    }

    public BlockBackend backend() { return backend; }

    @Override
    public int deviceType() { return TYPE_BLOCK; }

    @Override
    public int pciClassCode() { return PCI_CLASS_STORAGE_SCSI; }

    @Override
    public int features() { return F_FLUSH | F_SEG_MAX | F_BLK_SIZE | (backend.readOnly() ? F_RO : 0); }

    @Override
    public byte[] config() { return config.clone(); }

    @Override
    public int queueCount() { return 1; }

    @Override
    public void attach(VirtioContext context) { this.context = context; }

    @Override
    public void onNotify(int queue) {
        Virtqueue q = context.queue(queue);
        boolean any = false;
        for (Chain chain; (chain = q.pop()) != null; ) {
            long written = serve(q, chain);
            if (written < 0) break; // malformed: the queue is broken now
            q.pushUsed(chain.head(), written);
            any = true;
        }
        if (any) context.signalUsed(queue);
    }

    /** Serves one request; returns the bytes written to the guest, or -1 if the chain was malformed. */
    private long serve(Virtqueue q, Chain chain) {
        if (chain.readableBytes() < HEADER_BYTES || chain.writableBytes() < 1) {
            brokenChain(q, chain, "needs a " + HEADER_BYTES + "-byte header and a status byte");
            return -1;
        }
        byte[] h = new byte[HEADER_BYTES];
        Buffers.gather(chain.readable(), h);
        ByteBuffer header = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int type = header.getInt(0);
        long sector = header.getLong(8);
        List<MemorySegment> in = Buffers.range(chain.readable(), HEADER_BYTES, chain.readableBytes() - HEADER_BYTES);
        List<MemorySegment> out = Buffers.range(chain.writable(), 0, chain.writableBytes() - 1);
        MemorySegment status = Buffers.range(chain.writable(), chain.writableBytes() - 1, 1).getFirst();

        long dataWritten = 0;
        int result;
        switch (type) {
            case T_IN -> {
                result = transfer(sector, out, false);
                if (result == S_OK) dataWritten = Buffers.size(out);
            }
            case T_OUT -> result = backend.readOnly() ? report(S_IOERR, "write to read-only disk at sector " + sector)
                    : transfer(sector, in, true);
            case T_FLUSH -> result = flush();
            case T_GET_ID -> {
                dataWritten = Buffers.scatter(Arrays.copyOf(serial, ID_BYTES), out);
                result = S_OK;
            }
            default -> result = report(S_UNSUPP, "unsupported request type " + type);
        }
        status.set(JAVA_BYTE, 0, (byte) result);
        return dataWritten + 1;
    }

    private int transfer(long sector, List<MemorySegment> data, boolean write) {
        long bytes = Buffers.size(data);
        String what = (write ? "write" : "read") + " of " + bytes + " bytes at sector " + sector;
        if (bytes % SECTOR != 0) return report(S_IOERR, what + ": not a whole number of sectors");
        long sectors = bytes / SECTOR;
        if (sector < 0 || sector > backend.capacitySectors() || sectors > backend.capacitySectors() - sector) {
            return report(S_IOERR, what + ": beyond the disk's " + backend.capacitySectors() + " sectors");
        }
        try {
            if (data.stream().allMatch(b -> b.byteSize() % SECTOR == 0)) {
                long at = sector;
                for (var b : data) {
                    if (write) backend.write(at, b);
                    else backend.read(at, b);
                    at += b.byteSize() / SECTOR;
                }
            } else if (bytes > MAX_BOUNCE) {
                return report(S_IOERR, what + ": buffers split sectors and the request exceeds " + MAX_BOUNCE + " bytes");
            } else {
                // Buffers split mid-sector: bounce through one contiguous buffer.
                try (var arena = Arena.ofConfined()) {
                    MemorySegment bounce = arena.allocate(bytes);
                    if (write) {
                        long at = 0;
                        for (var b : data) {
                            MemorySegment.copy(b, 0, bounce, at, b.byteSize());
                            at += b.byteSize();
                        }
                        backend.write(sector, bounce);
                    } else {
                        backend.read(sector, bounce);
                        Buffers.scatter(bounce, data);
                    }
                }
            }
            return S_OK;
        } catch (IOException | RuntimeException e) {
            return report(S_IOERR, what + " failed: " + e);
        }
    }

    private int flush() {
        try {
            backend.flush();
            return S_OK;
        } catch (IOException | RuntimeException e) {
            return report(S_IOERR, "flush failed: " + e);
        }
    }

    /** Logs why the guest gets an error status, a bounded number of times so a looping guest cannot flood the log. */
    private int report(int status, String why) {
        if (reports < MAX_REPORTS) {
            reports++;
            LOG.warn("virtio-blk {}: {} -> status {}{}", backend, why, status,
                    reports == MAX_REPORTS ? " (further errors not logged)" : "");
        }
        return status;
    }

    /** Stops the queue {@code chain} came from, saying which request was malformed and how. */
    private static void brokenChain(Virtqueue q, Chain chain, String need) {
        // Reusing the queue's own breaking keeps one place that stops a queue and flags the device.
        q.markBroken("request at head " + chain.head() + " has " + chain.readableBytes() + " readable and "
                + chain.writableBytes() + " writable bytes; " + need);
    }

    @Override
    public void reset() { }

    @Override
    public void close() {
        try {
            backend.close();
        } catch (IOException e) {
            LOG.warn("closing virtio-blk backend {}", backend, e);
        }
    }
}
