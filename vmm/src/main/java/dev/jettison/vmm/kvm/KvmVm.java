package dev.jettison.vmm.kvm;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.kvm.KvmIoctl;
import dev.jettison.sys.kvm.KvmVmStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

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
        try (var arena = Arena.ofConfined()) {
            var identityMap = arena.allocateFrom(KvmVmStructs.IDENTITY_MAP_ADDR, IDENTITY_MAP_ADDRESS);
            Libc.ioctlOrErrno(fd.get(), KvmIoctl.SET_IDENTITY_MAP_ADDR, identityMap, "KVM_SET_IDENTITY_MAP_ADDR",
                    Errno.EINVAL, Errno.ENOTSUP, Errno.ENOTTY);
        }
        Libc.ioctlOrErrno(fd.get(), KvmIoctl.SET_TSS_ADDR, TSS_ADDRESS, "KVM_SET_TSS_ADDR",
                Errno.EINVAL, Errno.ENOTSUP, Errno.ENOTTY);
        Libc.ioctl(fd.get(), KvmIoctl.CREATE_IRQCHIP, 0L, "KVM_CREATE_IRQCHIP");
        try (var arena = Arena.ofConfined()) {
            var pit = arena.allocate(KvmVmStructs.PIT_CONFIG);
            // A dummy speaker port so the guest can gate PIT channel 2 through port 0x61 to calibrate its clocks.
            KvmVmStructs.PIT_CONFIG_FLAGS.set(pit, KvmIoctl.PIT_SPEAKER_DUMMY);
            Libc.ioctl(fd.get(), KvmIoctl.CREATE_PIT2, pit, "KVM_CREATE_PIT2");
        }
    }

    public void setMemoryRegion(int slot, long guestAddress, MemorySegment host, boolean logDirty) {
        try (var arena = Arena.ofConfined()) {
            var r = arena.allocate(KvmVmStructs.USERSPACE_MEMORY_REGION);
            KvmVmStructs.MEMORY_REGION_SLOT.set(r, slot);
            KvmVmStructs.MEMORY_REGION_FLAGS.set(r, logDirty ? KvmIoctl.MEM_LOG_DIRTY_PAGES : 0);
            KvmVmStructs.MEMORY_REGION_GUEST_PHYS_ADDR.set(r, guestAddress);
            KvmVmStructs.MEMORY_REGION_SIZE.set(r, host.byteSize());
            KvmVmStructs.MEMORY_REGION_USERSPACE_ADDR.set(r, host.address());
            Libc.ioctl(fd.get(), KvmIoctl.SET_USER_MEMORY_REGION, r,
                    "KVM_SET_USER_MEMORY_REGION slot " + slot + " at 0x" + Long.toHexString(guestAddress)
                            + ", " + host.byteSize() + " bytes");
        }
    }

    /** Drives GSI {@code gsi} of the in-kernel PIC/IOAPIC high or low. */
    public void irqLine(int gsi, boolean high) {
        try (var arena = Arena.ofConfined()) {
            var l = arena.allocate(KvmVmStructs.IRQ_LEVEL);
            KvmVmStructs.IRQ_LEVEL_IRQ.set(l, gsi);
            KvmVmStructs.IRQ_LEVEL_LEVEL.set(l, high ? 1 : 0);
            Libc.ioctl(fd.get(), KvmIoctl.IRQ_LINE, l, "KVM_IRQ_LINE gsi " + gsi);
        }
    }

    /**
     * Fetches and clears the dirty bitmap of {@code slot} (one bit per 4 KiB page, little-endian
     * 64-bit words) into {@code bitmap}, which must hold at least pages/8 bytes rounded up to 8.
     */
    public void dirtyLog(int slot, MemorySegment bitmap) {
        try (var arena = Arena.ofConfined()) {
            var d = arena.allocate(KvmVmStructs.DIRTY_LOG);
            KvmVmStructs.DIRTY_LOG_SLOT.set(d, slot);
            KvmVmStructs.DIRTY_LOG_BITMAP.set(d, bitmap.address());
            Libc.ioctl(fd.get(), KvmIoctl.GET_DIRTY_LOG, d, "KVM_GET_DIRTY_LOG slot " + slot);
        }
    }

    /** Reads a VM-wide state blob (irqchip, PIT, clock) as raw bytes for the descriptor. */
    public byte[] getState(long request, long size, int chipId, String name) {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(size, 8);
            if (chipId >= 0) KvmVmStructs.IRQCHIP_CHIP_ID.set(buf, chipId);
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
