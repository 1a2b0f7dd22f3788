package dev.jettison.vmm.kvm;

import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.kvm.KvmIoctl;
import dev.jettison.sys.kvm.KvmStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** One KVM VM file descriptor: memory slots, the in-kernel interrupt controllers and PIT, vCPU creation. */
public final class KvmVm implements AutoCloseable {
    /** Firecracker's and kvmtool's choice: just below the 4 GiB boundary, inside the MMIO gap. */
    private static final long TSS_ADDRESS = 0xFFFBD000L;
    private static final long IDENTITY_MAP_ADDRESS = 0xFFFBC000L;

    private final Kvm kvm;
    private final Fd fd;

    KvmVm(Kvm kvm, Fd fd) {
        this.kvm = kvm;
        this.fd = fd;
    }

    public Fd fd() { return fd; }

    /**
     * The legacy x86 plumbing: TSS/identity-map pages that VMX needs (harmless elsewhere, so a
     * refusal is ignored), then the PIC+IOAPIC and the PIT, all before any vCPU exists.
     */
    public void createPlatform() {
        Libc.ioctlOrErrno(fd.get(), KvmIoctl.SET_IDENTITY_MAP_ADDR, identityMapArg(), "KVM_SET_IDENTITY_MAP_ADDR",
                dev.jettison.sys.Errno.EINVAL, dev.jettison.sys.Errno.ENOTSUP, 25 /* ENOTTY */);
        Libc.ioctlOrErrno(fd.get(), KvmIoctl.SET_TSS_ADDR, TSS_ADDRESS, "KVM_SET_TSS_ADDR",
                dev.jettison.sys.Errno.EINVAL, dev.jettison.sys.Errno.ENOTSUP, 25);
        Libc.ioctl(fd.get(), KvmIoctl.CREATE_IRQCHIP, 0L, "KVM_CREATE_IRQCHIP");
        try (var arena = Arena.ofConfined()) {
            var pit = arena.allocate(KvmStructs.PIT_CONFIG_SIZE, 8);
            // A dummy speaker port so the guest can gate PIT channel 2 through port 0x61 to calibrate its clocks.
            pit.set(JAVA_INT, 0, KvmIoctl.PIT_SPEAKER_DUMMY);
            Libc.ioctl(fd.get(), KvmIoctl.CREATE_PIT2, pit, "KVM_CREATE_PIT2");
        }
    }

    private static MemorySegment identityMapArg() {
        return Arena.ofAuto().allocateFrom(JAVA_LONG, IDENTITY_MAP_ADDRESS);
    }

    public void setMemoryRegion(int slot, long guestAddress, MemorySegment host, boolean logDirty) {
        try (var arena = Arena.ofConfined()) {
            var r = arena.allocate(KvmStructs.MEMORY_REGION_SIZE, 8);
            r.set(JAVA_INT, 0, slot);
            r.set(JAVA_INT, 4, logDirty ? KvmIoctl.MEM_LOG_DIRTY_PAGES : 0);
            r.set(JAVA_LONG, 8, guestAddress);
            r.set(JAVA_LONG, 16, host.byteSize());
            r.set(JAVA_LONG, 24, host.address());
            Libc.ioctl(fd.get(), KvmIoctl.SET_USER_MEMORY_REGION, r,
                    "KVM_SET_USER_MEMORY_REGION slot " + slot + " at 0x" + Long.toHexString(guestAddress)
                            + ", " + host.byteSize() + " bytes");
        }
    }

    /** Drives GSI {@code gsi} of the in-kernel PIC/IOAPIC high or low. */
    public void irqLine(int gsi, boolean high) {
        try (var arena = Arena.ofConfined()) {
            var l = arena.allocate(8, 4);
            l.set(JAVA_INT, 0, gsi);
            l.set(JAVA_INT, 4, high ? 1 : 0);
            Libc.ioctl(fd.get(), KvmIoctl.IRQ_LINE, l, "KVM_IRQ_LINE gsi " + gsi);
        }
    }

    /**
     * Fetches and clears the dirty bitmap of {@code slot} (one bit per 4 KiB page, little-endian
     * 64-bit words) into {@code bitmap}, which must hold at least pages/8 bytes rounded up to 8.
     */
    public void dirtyLog(int slot, MemorySegment bitmap) {
        try (var arena = Arena.ofConfined()) {
            var d = arena.allocate(KvmStructs.DIRTY_LOG_SIZE, 8);
            d.set(JAVA_INT, 0, slot);
            d.set(JAVA_LONG, 8, bitmap.address());
            Libc.ioctl(fd.get(), KvmIoctl.GET_DIRTY_LOG, d, "KVM_GET_DIRTY_LOG slot " + slot);
        }
    }

    /** Reads a VM-wide state blob (irqchip, PIT, clock) as raw bytes for the descriptor. */
    public byte[] getState(long request, long size, int chipId, String name) {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(size, 8);
            if (chipId >= 0) buf.set(JAVA_INT, 0, chipId);
            Libc.ioctl(fd.get(), request, buf, name);
            return buf.toArray(JAVA_BYTE);
        }
    }

    public void setState(long request, byte[] state, String name) {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocateFrom(JAVA_BYTE, state);
            Libc.ioctl(fd.get(), request, buf, name);
        }
    }

    public KvmVcpu createVcpu(int id) {
        int vcpufd = Libc.ioctl(fd.get(), KvmIoctl.CREATE_VCPU, id, "KVM_CREATE_VCPU " + id);
        var vfd = new Fd(vcpufd, "kvm-vcpu-" + id);
        try {
            var run = MappedRegion.ofFd(vfd, kvm.vcpuMmapSize(), Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_SHARED, "kvm_run of vCPU " + id);
            return new KvmVcpu(id, vfd, run);
        } catch (RuntimeException e) {
            vfd.close();
            throw e;
        }
    }

    @Override
    public void close() { fd.close(); }
}
