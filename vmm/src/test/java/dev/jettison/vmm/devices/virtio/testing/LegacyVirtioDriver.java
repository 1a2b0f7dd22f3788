package dev.jettison.vmm.devices.virtio.testing;

import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.virtio.Virtqueue;
import dev.jettison.vmm.memory.GuestMemory;

import static dev.jettison.vmm.devices.virtio.VirtioPciDevice.*;

/** Drives a legacy virtio-pci device through its I/O BAR and rings in guest RAM, as a guest driver does. */
public final class LegacyVirtioDriver {
    private final IoBus io;
    private final GuestMemory memory;
    private final int base;

    public LegacyVirtioDriver(IoBus io, GuestMemory memory, int ioBase) {
        this.io = io;
        this.memory = memory;
        this.base = ioBase;
    }

    public int hostFeatures() { return io.read(base + HOST_FEATURES, 4); }

    /** Acknowledge, accept {@code features}, set up the given queues at the given addresses, DRIVER_OK. */
    public Ring[] start(int features, long... ringAddresses) {
        io.write(base + STATUS, 1, 0);
        io.write(base + STATUS, 1, STATUS_ACKNOWLEDGE);
        io.write(base + STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        io.write(base + GUEST_FEATURES, 4, features);
        Ring[] rings = new Ring[ringAddresses.length];
        for (int q = 0; q < ringAddresses.length; q++) rings[q] = setupQueue(q, ringAddresses[q]);
        io.write(base + STATUS, 1, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        return rings;
    }

    public Ring setupQueue(int queue, long address) {
        io.write(base + QUEUE_SEL, 2, queue);
        int size = io.read(base + QUEUE_NUM, 2);
        if (size == 0) throw new IllegalStateException("queue " + queue + " does not exist");
        memory.slice(address, Virtqueue.layoutBytes(size)).fill((byte) 0);
        io.write(base + QUEUE_PFN, 4, (int) (address >>> 12));
        return new Ring(memory, address, size);
    }

    public void notify(int queue) { io.write(base + QUEUE_NOTIFY, 2, queue); }

    public int readIsr() { return io.read(base + ISR, 1); }

    public int status() { return io.read(base + STATUS, 1); }

    public void writeStatus(int status) { io.write(base + STATUS, 1, status); }

    public int config(int offset, int size) { return io.read(base + DEVICE_CONFIG + offset, size); }

    /** A guest buffer: device-readable or device-writable. */
    public record Buf(long addr, int len, boolean writable) {
        public static Buf in(long addr, int len) { return new Buf(addr, len, false); }

        public static Buf out(long addr, int len) { return new Buf(addr, len, true); }
    }

    /** The driver's side of one split ring. */
    public static final class Ring {
        private final GuestMemory memory;
        private final long desc, avail, used;
        private final int size;
        private int nextDesc;
        private int availIdx;

        public Ring(GuestMemory memory, long address, int size) {
            this.memory = memory;
            this.size = size;
            this.desc = address;
            this.avail = address + 16L * size;
            this.used = address + Virtqueue.usedOffset(size);
        }

        /** Writes a chain into free descriptors and makes it available; returns its head. */
        public int submit(Buf... bufs) {
            int head = nextDesc;
            for (int i = 0; i < bufs.length; i++) {
                int index = (head + i) % size;
                boolean last = i == bufs.length - 1;
                descriptor(index, bufs[i].addr(), bufs[i].len(),
                        (last ? 0 : Virtqueue.VRING_DESC_F_NEXT) | (bufs[i].writable() ? Virtqueue.VRING_DESC_F_WRITE : 0),
                        (index + 1) % size);
            }
            nextDesc = (head + bufs.length) % size;
            publish(head);
            return head;
        }

        public void descriptor(int index, long addr, int len, int flags, int next) {
            long at = desc + 16L * index;
            memory.writeLong(at, addr);
            memory.writeInt(at + 8, len);
            memory.writeShort(at + 12, (short) flags);
            memory.writeShort(at + 14, (short) next);
        }

        public void publish(int head) {
            memory.writeShort(avail + 4 + 2L * (availIdx % size), (short) head);
            availIdx = (availIdx + 1) & 0xFFFF;
            memory.writeShort(avail + 2, (short) availIdx);
        }

        public void suppressInterrupts(boolean suppress) {
            memory.writeShort(avail, (short) (suppress ? Virtqueue.VRING_AVAIL_F_NO_INTERRUPT : 0));
        }

        public int usedIdx() { return memory.readShort(used + 2) & 0xFFFF; }

        public int usedId(int i) { return memory.readInt(used + 4 + 8L * (i % size)); }

        public int usedLen(int i) { return memory.readInt(used + 8 + 8L * (i % size)); }
    }
}
