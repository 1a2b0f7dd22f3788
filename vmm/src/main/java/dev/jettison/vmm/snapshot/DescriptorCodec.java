package dev.jettison.vmm.snapshot;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.pci.PciDevice;
import dev.jettison.vmm.devices.serial.Serial16550;
import dev.jettison.vmm.devices.virtio.VirtioPciDevice;
import dev.jettison.vmm.devices.virtio.Virtqueue;
import dev.jettison.vmm.kvm.Cpuid;
import dev.jettison.vmm.memory.MemoryLayout;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The descriptor's binary form: "JTSDESC" + format version byte, u32 body length, body, CRC32C
 * of everything before it. Format 2 (docs/network.md) gives each virtio device its type and the
 * device's own state (for virtio-net: MAC and the guest's IPv4 address) after the transport's;
 * format 1 descriptors, from builds without NIC migration, are refused by version. Every count and length read back is bounded, so a corrupt or hostile
 * descriptor yields a {@link DescriptorException} naming what was wrong, never a huge allocation
 * or a half-restored guest.
 */
public final class DescriptorCodec {
    /**
     * 3: each vCPU's TSC rate (kHz) after its MSRs (so a server can run the guest's TSC at the
     * desktop's rate), and each virtio device's type and own state (docs/network.md). Versions 1
     * and 2 come from older builds and are refused.
     */
    public static final int VERSION = 3;
    private static final byte[] MAGIC = {'J', 'T', 'S', 'D', 'E', 'S', 'C'};
    private static final int HEADER = MAGIC.length + 1 + 4;
    private static final int MAX_BODY = 4 << 20;
    private static final int MAX_BLOB = 64 << 10;
    private static final int MAX_MSRS = 2048, MAX_CPUID = 512, MAX_QUEUES = 16, MAX_VIRTIO = 16, MAX_DEVICE_STATE = 4096;
    /** 100 GHz: far above any TSC, far below what would overflow KVM's scaling arithmetic. */
    private static final int MAX_TSC_KHZ = 100_000_000;

    private DescriptorCodec() {}

    public static byte[] encode(MachineState s) {
        var w = new Writer();
        w.u64(s.memBytes());
        w.u32(s.cpus());
        w.u64(s.diskSectors());
        w.blob(s.mac() == null ? new byte[0] : s.mac());
        w.u32(s.cpuid().entries().size());
        for (var e : s.cpuid().entries()) {
            w.u32(e.function()); w.u32(e.index()); w.u32(e.flags());
            w.u32(e.eax()); w.u32(e.ebx()); w.u32(e.ecx()); w.u32(e.edx());
        }
        for (var v : s.vcpus()) {
            w.u32(v.id());
            for (byte[] b : new byte[][] {v.mpState(), v.regs(), v.sregs(), v.xsave(), v.xcrs(), v.debugRegs(), v.lapic(), v.events()}) w.blob(b);
            w.u32(v.msrIndices().length);
            for (int i = 0; i < v.msrIndices().length; i++) { w.u32(v.msrIndices()[i]); w.u64(v.msrValues()[i]); }
            w.u32(v.tscKhz());
        }
        var p = s.platform();
        for (byte[] b : new byte[][] {p.picMaster(), p.picSlave(), p.ioapic(), p.pit(), p.clock()}) w.blob(b);
        var d = s.devices();
        var ser = d.serial();
        w.u32(ser.ier()); w.u32(ser.lcr()); w.u32(ser.mcr()); w.u32(ser.fcr()); w.u32(ser.scr());
        w.u32(ser.divisor()); w.u32(ser.msr()); w.bool(ser.overrun()); w.bool(ser.thrInterruptPending());
        w.blob(ser.rxFifo()); w.blob(ser.backlog());
        pci(w, d.hostBridge());
        w.u32(d.virtio().size());
        for (var v : d.virtio()) {
            w.u32(v.deviceType());
            w.u32(v.status()); w.u32(v.guestFeatures()); w.u32(v.queueSelect()); w.u32(v.isr()); w.bool(v.needsReset());
            w.u32(v.queues().size());
            for (var q : v.queues()) { w.u32(q.pfn()); w.u32(q.lastAvailIdx()); w.u32(q.usedIdx()); w.bool(q.broken()); }
            pci(w, v.pci());
            w.blob(v.deviceState());
        }
        byte[] body = w.bytes();
        var out = ByteBuffer.allocate(HEADER + body.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) VERSION).putInt(body.length).put(body);
        var crc = new CRC32C();
        crc.update(out.array(), 0, HEADER + body.length);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    private static void pci(Writer w, PciDevice.State s) {
        w.blob(s.config());
        w.u32(s.sizingBars());
    }

    public static MachineState decode(byte[] bytes) throws DescriptorException {
        if (bytes.length < HEADER + 4) throw new DescriptorException("descriptor is " + bytes.length + " bytes: truncated header");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new DescriptorException("not a Jettison descriptor (bad magic)");
        }
        int version = Byte.toUnsignedInt(bytes[MAGIC.length]);
        if (version != VERSION) {
            throw new DescriptorException("descriptor format version " + version + " (from " + (version < VERSION ? "an older" : "a newer")
                    + " build); this build reads only " + VERSION + (version < VERSION ? ": consolidate the VM again with this build" : ""));
        }
        var hb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long bodyLen = Integer.toUnsignedLong(hb.getInt(MAGIC.length + 1));
        if (bodyLen > MAX_BODY) throw new DescriptorException("descriptor body of " + bodyLen + " bytes exceeds " + MAX_BODY);
        if (bytes.length != HEADER + bodyLen + 4) {
            throw new DescriptorException("descriptor is " + bytes.length + " bytes but its header says " + (HEADER + bodyLen + 4)
                    + (bytes.length < HEADER + bodyLen + 4 ? " (truncated)" : " (trailing bytes)"));
        }
        var crc = new CRC32C();
        crc.update(bytes, 0, (int) (HEADER + bodyLen));
        if ((int) crc.getValue() != hb.getInt((int) (HEADER + bodyLen))) throw new DescriptorException("descriptor checksum mismatch");
        var r = new Reader(ByteBuffer.wrap(bytes, HEADER, (int) bodyLen).slice().order(ByteOrder.LITTLE_ENDIAN));
        try {
            long mem = r.u64("memory size");
            try {
                MemoryLayout.ramRanges(mem);
            } catch (IllegalArgumentException e) {
                throw new DescriptorException("memory size: " + e.getMessage());
            }
            int cpus = r.count("vCPU count", 8);
            if (cpus < 1) throw new DescriptorException("vCPU count 0");
            long disk = r.u64("disk sectors");
            byte[] mac = r.blob("MAC", 6);
            if (mac.length != 0 && mac.length != 6) throw new DescriptorException("MAC of " + mac.length + " bytes");
            int ncpuid = r.count("CPUID entries", MAX_CPUID);
            var entries = new ArrayList<Cpuid.Entry>(ncpuid);
            for (int i = 0; i < ncpuid; i++) {
                entries.add(new Cpuid.Entry(r.i32(), r.i32(), r.i32(), r.i32(), r.i32(), r.i32(), r.i32()));
            }
            var vcpus = new ArrayList<VcpuState>(cpus);
            for (int i = 0; i < cpus; i++) {
                int id = r.count("vCPU id", cpus - 1);
                byte[][] b = new byte[8][];
                String[] names = {"MP state", "registers", "special registers", "XSAVE", "XCRs", "debug registers", "LAPIC", "events"};
                for (int j = 0; j < 8; j++) b[j] = r.blob("vCPU " + id + " " + names[j], MAX_BLOB);
                int n = r.count("vCPU " + id + " MSR count", MAX_MSRS);
                int[] idx = new int[n];
                long[] val = new long[n];
                for (int j = 0; j < n; j++) { idx[j] = r.i32(); val[j] = r.u64("MSR value"); }
                int tscKhz = r.count("vCPU " + id + " TSC kHz", MAX_TSC_KHZ);
                vcpus.add(new VcpuState(id, b[0], b[1], b[2], b[3], b[4], b[5], b[6], idx, val, b[7], tscKhz));
            }
            var platform = new PlatformState(r.blob("PIC master", MAX_BLOB), r.blob("PIC slave", MAX_BLOB),
                    r.blob("IOAPIC", MAX_BLOB), r.blob("PIT", MAX_BLOB), r.blob("clock", MAX_BLOB));
            var serial = new Serial16550.State(r.i32(), r.i32(), r.i32(), r.i32(), r.i32(), r.i32(), r.i32(),
                    r.bool(), r.bool(), r.blob("UART RX FIFO", 4096), r.blob("UART backlog", MAX_BLOB));
            var bridge = pci(r);
            int nv = r.count("virtio device count", MAX_VIRTIO);
            var virtio = new ArrayList<VirtioPciDevice.State>(nv);
            for (int i = 0; i < nv; i++) {
                int type = r.i32();
                if (type != 1 && type != 2) throw new DescriptorException("virtio device " + i + " has unknown type " + type);
                int status = r.i32(), features = r.i32(), select = r.i32(), isr = r.i32();
                boolean needsReset = r.bool();
                int nq = r.count("virtqueue count", MAX_QUEUES);
                var queues = new ArrayList<Virtqueue.State>(nq);
                for (int q = 0; q < nq; q++) queues.add(new Virtqueue.State(r.i32(), r.i32(), r.i32(), r.bool()));
                var pci = pci(r);
                virtio.add(new VirtioPciDevice.State(type, status, features, select, isr, needsReset, queues, pci,
                        r.blob("virtio device " + i + " state", MAX_DEVICE_STATE)));
            }
            long nets = virtio.stream().filter(v -> v.deviceType() == 1).count();
            if (nets != (mac.length == 0 ? 0 : 1)) {
                throw new DescriptorException((mac.length == 0 ? "no MAC" : "a MAC") + " but " + nets + " virtio-net devices");
            }
            if (r.remaining() != 0) throw new DescriptorException(r.remaining() + " unread bytes at the end of the descriptor");
            return new MachineState(mem, cpus, disk, mac.length == 0 ? null : mac, new Cpuid(List.copyOf(entries)),
                    vcpus, platform, new DeviceSet.State(serial, bridge, virtio));
        } catch (BufferUnderflowException e) {
            throw new DescriptorException("descriptor body ends early");
        } catch (IllegalArgumentException e) {
            throw new DescriptorException("inconsistent descriptor: " + e.getMessage());
        }
    }

    private static PciDevice.State pci(Reader r) throws DescriptorException {
        byte[] config = r.blob("PCI config space", 256);
        if (config.length != 256) throw new DescriptorException("PCI config space of " + config.length + " bytes");
        return new PciDevice.State(config, r.i32());
    }

    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (buf.remaining() >= n) return;
            var bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }

        void u32(int v) { ensure(4); buf.putInt(v); }
        void u64(long v) { ensure(8); buf.putLong(v); }
        void bool(boolean v) { ensure(1); buf.put((byte) (v ? 1 : 0)); }
        void blob(byte[] b) { ensure(4 + b.length); buf.putInt(b.length); buf.put(b); }
        byte[] bytes() { return java.util.Arrays.copyOf(buf.array(), buf.position()); }
    }

    private record Reader(ByteBuffer buf) {
        int i32() { return buf.getInt(); }
        long u64(String what) { return buf.getLong(); }
        boolean bool() throws DescriptorException {
            byte b = buf.get();
            if (b != 0 && b != 1) throw new DescriptorException("boolean field holds " + b);
            return b == 1;
        }
        int count(String what, int max) throws DescriptorException {
            long n = Integer.toUnsignedLong(buf.getInt());
            if (n > max) throw new DescriptorException(what + " " + n + " exceeds " + max);
            return (int) n;
        }
        byte[] blob(String what, int max) throws DescriptorException {
            int n = count(what + " length", max);
            if (n > buf.remaining()) throw new DescriptorException(what + " of " + n + " bytes runs past the end");
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }
        int remaining() { return buf.remaining(); }
    }
}
