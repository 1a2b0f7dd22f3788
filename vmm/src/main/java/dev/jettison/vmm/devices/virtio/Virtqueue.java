package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.GuestMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * A legacy split virtqueue living in guest RAM: the descriptor table at PFN &lt;&lt; 12, the
 * available ring right after it, the used ring at the next 4096-byte boundary.
 *
 * <p>Everything in the ring comes from the guest and is distrusted: indices are range-checked,
 * chains are walked with a bound and a visited set, every buffer is resolved through
 * {@link GuestMemory}. A queue that breaks a rule is marked broken: it logs once, stops
 * handing out chains, and reports to its owner (which sets DEVICE_NEEDS_RESET) instead of
 * throwing into the vCPU thread. A guest reset (status 0) or a new PFN revives it.
 */
public final class Virtqueue {
    private static final Logger LOG = LoggerFactory.getLogger(Virtqueue.class);

    public static final int LEGACY_ALIGN = 4096;
    public static final int VRING_DESC_F_NEXT = 1, VRING_DESC_F_WRITE = 2, VRING_DESC_F_INDIRECT = 4;
    public static final int VRING_AVAIL_F_NO_INTERRUPT = 1;
    static final int DESC_SIZE = 16;

    /** What the migration descriptor needs to resume the queue where it stopped. */
    public record State(int pfn, int lastAvailIdx, int usedIdx, boolean broken) {}

    /** Told once when the queue breaks. */
    @FunctionalInterface
    public interface BrokenListener {
        void broken(Virtqueue queue, String why);
    }

    private final GuestMemory memory;
    private final int size;
    private final String name;
    private final BrokenListener onBroken;

    private int pfn;
    private MemorySegment desc, avail, used;
    private int lastAvailIdx, usedIdx;
    private boolean broken;
    /** Where the chain most recently popped started, so {@link #unpop} can hand it back. */
    private int lastPoppedFrom = -1;

    public Virtqueue(GuestMemory memory, int size, String name, BrokenListener onBroken) {
        if (size <= 0 || size > 32768 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("virtqueue size must be a power of two up to 32768: " + size);
        }
        this.memory = memory;
        this.size = size;
        this.name = name;
        this.onBroken = onBroken;
    }

    public int size() { return size; }

    public String name() { return name; }

    /** Bytes of guest memory the legacy layout of a queue of {@code size} entries spans. */
    public static long layoutBytes(int size) { return usedOffset(size) + 6 + 8L * size; }

    /** Offset of the used ring from the descriptor table: descriptors + avail ring, rounded up. */
    public static long usedOffset(int size) {
        long availEnd = (long) DESC_SIZE * size + 6 + 2L * size;
        return (availEnd + LEGACY_ALIGN - 1) & -LEGACY_ALIGN;
    }

    public synchronized int pfn() { return pfn; }

    public synchronized boolean isReady() { return pfn != 0 && !broken; }

    public synchronized boolean isBroken() { return broken; }

    /** The guest wrote the queue address; 0 disables the queue. */
    public synchronized void setPfn(int newPfn) {
        reset();
        if (newPfn == 0) return;
        pfn = newPfn;
        long base = Integer.toUnsignedLong(newPfn) << 12;
        try {
            desc = memory.slice(base, (long) DESC_SIZE * size);
            avail = memory.slice(base + (long) DESC_SIZE * size, 6 + 2L * size);
            used = memory.slice(base + usedOffset(size), 6 + 8L * size);
        } catch (GuestMemoryException e) {
            fail("ring at 0x" + Long.toHexString(base) + " is not in guest RAM: " + e.getMessage());
        }
    }

    /**
     * Slices the ring again, so that guest memory's populator (set after a restore) makes its pages
     * present now, from an ordinary wait; a restore sliced them before there was one, and a device
     * thread must never be the first to touch a missing page (see {@link GuestMemory.Populator}).
     */
    public synchronized void populate() {
        if (pfn == 0 || broken) return;
        long base = Integer.toUnsignedLong(pfn) << 12;
        try {
            memory.slice(base, layoutBytes(size));
        } catch (GuestMemoryException e) {
            fail("ring at 0x" + Long.toHexString(base) + " is not in guest RAM: " + e.getMessage());
        }
    }

    /** Forgets the ring (device reset). */
    public synchronized void reset() {
        pfn = 0;
        desc = avail = used = null;
        lastAvailIdx = usedIdx = 0;
        broken = false;
        lastPoppedFrom = -1;
    }

    /** The next available chain, or null when there is none (or the queue is not usable). */
    public synchronized Chain pop() {
        if (pfn == 0 || broken) return null;
        try {
            int availIdx = avail.get(JAVA_SHORT_UNALIGNED, 2) & 0xFFFF;
            int pending = (availIdx - lastAvailIdx) & 0xFFFF;
            if (pending == 0) return null;
            if (pending > size) {
                fail("available index " + availIdx + " is " + pending + " ahead of " + lastAvailIdx
                        + ", more than the queue size " + size);
                return null;
            }
            // The ring entry must be read after the index that published it.
            VarHandle.acquireFence();
            int head = avail.get(JAVA_SHORT_UNALIGNED, 4 + 2L * (lastAvailIdx & (size - 1))) & 0xFFFF;
            Chain chain = walk(head);
            if (chain == null) return null;
            lastPoppedFrom = lastAvailIdx;
            lastAvailIdx = (lastAvailIdx + 1) & 0xFFFF;
            return chain;
        } catch (GuestMemoryException e) {
            fail(e.getMessage());
            return null;
        }
    }

    /** Returns the chain just popped to the ring, unused (e.g. a received frame did not fit after all). */
    public synchronized void unpop() {
        if (lastPoppedFrom < 0 || broken) return;
        lastAvailIdx = lastPoppedFrom;
        lastPoppedFrom = -1;
    }

    private Chain walk(int head) {
        var readable = new ArrayList<MemorySegment>();
        var writable = new ArrayList<MemorySegment>();
        var seen = new BitSet(size);
        int index = head;
        for (int count = 0; ; count++) {
            if (index >= size) {
                fail("chain from head " + head + " names descriptor " + index + " beyond the queue size " + size);
                return null;
            }
            if (seen.get(index)) {
                fail("chain from head " + head + " loops back to descriptor " + index);
                return null;
            }
            if (count >= size) {
                fail("chain from head " + head + " is longer than the queue size " + size);
                return null;
            }
            seen.set(index);
            long at = (long) DESC_SIZE * index;
            long addr = desc.get(JAVA_LONG_UNALIGNED, at);
            long len = Integer.toUnsignedLong(desc.get(JAVA_INT_UNALIGNED, at + 8));
            int flags = desc.get(JAVA_SHORT_UNALIGNED, at + 12) & 0xFFFF;
            int next = desc.get(JAVA_SHORT_UNALIGNED, at + 14) & 0xFFFF;
            if ((flags & VRING_DESC_F_INDIRECT) != 0) {
                fail("descriptor " + index + " is indirect, a feature this device does not offer");
                return null;
            }
            MemorySegment buffer;
            try {
                buffer = memory.slice(addr, len);
            } catch (GuestMemoryException e) {
                fail("descriptor " + index + " of chain " + head + ": " + e.getMessage());
                return null;
            }
            if ((flags & VRING_DESC_F_WRITE) != 0) {
                writable.add(buffer);
            } else if (!writable.isEmpty()) {
                fail("chain from head " + head + " has a device-readable descriptor " + index
                        + " after a device-writable one");
                return null;
            } else {
                readable.add(buffer);
            }
            if ((flags & VRING_DESC_F_NEXT) == 0) return new Chain(head, readable, writable);
            index = next;
        }
    }

    /** Hands a chain back to the driver, saying how many bytes the device wrote into it. */
    public synchronized void pushUsed(int head, long written) {
        if (pfn == 0 || broken) return;
        lastPoppedFrom = -1;
        long slot = usedIdx & (size - 1);
        used.set(JAVA_INT_UNALIGNED, 4 + 8 * slot, head);
        used.set(JAVA_INT_UNALIGNED, 8 + 8 * slot, (int) Math.min(written, 0xFFFF_FFFFL));
        // The element must be visible before the index that publishes it.
        VarHandle.releaseFence();
        usedIdx = (usedIdx + 1) & 0xFFFF;
        used.set(JAVA_SHORT_UNALIGNED, 2, (short) usedIdx);
    }

    /** Whether the driver wants an interrupt for what was just used (it may suppress them while polling). */
    public synchronized boolean needsInterrupt() {
        if (pfn == 0 || broken) return false;
        // Order the used-index store before reading the flag, or an interrupt can be lost.
        VarHandle.fullFence();
        return (avail.get(JAVA_SHORT_UNALIGNED, 0) & VRING_AVAIL_F_NO_INTERRUPT) == 0;
    }

    /** Whether the driver has made chains available that are not popped yet. */
    public synchronized boolean hasAvailable() {
        if (pfn == 0 || broken) return false;
        return ((avail.get(JAVA_SHORT_UNALIGNED, 2) & 0xFFFF) != lastAvailIdx);
    }

    /** A device found a chain it cannot serve (e.g. no room for a status byte): stop like for a bad ring. */
    public synchronized void markBroken(String why) { fail(why); }

    private void fail(String why) {
        if (broken) return;
        broken = true;
        LOG.warn("virtqueue {} is broken and stops until the driver resets the device: {}", name, why);
        if (onBroken != null) onBroken.broken(this, why);
    }

    public synchronized State snapshot() { return new State(pfn, lastAvailIdx, usedIdx, broken); }

    public synchronized void restore(State s) {
        setPfn(s.pfn());
        lastAvailIdx = s.lastAvailIdx() & 0xFFFF;
        usedIdx = s.usedIdx() & 0xFFFF;
        if (s.broken()) broken = true;
    }

    @Override
    public String toString() { return name; }
}
