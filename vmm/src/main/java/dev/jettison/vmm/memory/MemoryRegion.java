package dev.jettison.vmm.memory;

import java.lang.foreign.MemorySegment;

/** One contiguous range of guest-physical RAM and the host memory behind it; slot = KVM slot number. */
public record MemoryRegion(int slot, long guestAddress, MemorySegment host) {
    public long size() { return host.byteSize(); }

    public boolean contains(long gpa) { return gpa >= guestAddress && gpa - guestAddress < size(); }

    public long guestEnd() { return guestAddress + size(); }

    @Override
    public String toString() {
        return "slot " + slot + " [0x" + Long.toHexString(guestAddress) + ", 0x" + Long.toHexString(guestEnd()) + ")";
    }
}
