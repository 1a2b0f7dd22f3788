package dev.jettison.vmm.devices.virtio;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One descriptor chain popped from an available ring: its head index (to hand back in the used
 * ring) and the guest buffers it names, already checked to lie in guest RAM. Device-readable
 * buffers come first in a chain, then device-writable ones.
 */
public record Chain(int head, List<MemorySegment> readable, List<MemorySegment> writable) {
    public Chain {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    public long readableBytes() { return Buffers.size(readable); }

    public long writableBytes() { return Buffers.size(writable); }
}
