package dev.jettison.vmm.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The storage behind a virtio-blk device, in 512-byte sectors. The first implementation is a
 * raw image file; partial migration substitutes a copy-on-write backend that fetches blocks
 * from the desktop on first read. Buffers are whole sectors and lie in guest RAM.
 */
public interface BlockBackend extends AutoCloseable {
    int SECTOR_SIZE = 512;

    long capacitySectors();

    boolean readOnly();

    /** Fills {@code dst} (a multiple of 512 bytes) from the sectors starting at {@code sector}. */
    void read(long sector, MemorySegment dst) throws IOException;

    /** Writes {@code src} (a multiple of 512 bytes) to the sectors starting at {@code sector}. */
    void write(long sector, MemorySegment src) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
