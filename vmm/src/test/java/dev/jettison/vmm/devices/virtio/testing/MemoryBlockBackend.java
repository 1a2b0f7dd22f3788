package dev.jettison.vmm.devices.virtio.testing;

import dev.jettison.vmm.devices.virtio.BlockBackend;

import java.lang.foreign.MemorySegment;

/** A disk in a byte array. */
public final class MemoryBlockBackend implements BlockBackend {
    public final byte[] data;
    private final boolean readOnly;
    public int flushes;

    public MemoryBlockBackend(int sectors, boolean readOnly) {
        this.data = new byte[sectors * SECTOR_SIZE];
        this.readOnly = readOnly;
    }

    @Override
    public long capacitySectors() { return data.length / SECTOR_SIZE; }

    @Override
    public boolean readOnly() { return readOnly; }

    @Override
    public void read(long sector, MemorySegment dst) {
        MemorySegment.copy(MemorySegment.ofArray(data), sector * SECTOR_SIZE, dst, 0, dst.byteSize());
    }

    @Override
    public void write(long sector, MemorySegment src) {
        MemorySegment.copy(src, 0, MemorySegment.ofArray(data), sector * SECTOR_SIZE, src.byteSize());
    }

    @Override
    public void flush() { flushes++; }

    @Override
    public void close() { }
}
