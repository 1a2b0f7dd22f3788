package dev.jettison.vmm.kvm;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.kvm.KvmCpuStructs;
import dev.jettison.sys.kvm.KvmIoctl;
import dev.jettison.sys.kvm.KvmRun;
import dev.jettison.sys.kvm.KvmStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/** One vCPU file descriptor and its shared kvm_run page. */
public final class KvmVcpu implements AutoCloseable {
    /** x87 and SSE control words after reset: all exceptions masked, round to nearest. */
    private static final short FCW_RESET = 0x37f;
    private static final int MXCSR_RESET = 0x1f80;

    private final int id;
    private final Fd fd;
    private final MappedRegion runRegion;
    private final KvmRun run;

    KvmVcpu(int id, Fd fd, MappedRegion runRegion) {
        this.id = id;
        this.fd = fd;
        this.runRegion = runRegion;
        this.run = new KvmRun(runRegion.segment());
    }

    public int id() { return id; }

    public KvmRun run() { return run; }

    /** KVM_RUN; returns 0, or -EINTR when a kick (signal) ended it. */
    public int enter() {
        return Libc.ioctlOrErrno(fd.get(), KvmIoctl.RUN, 0L, "KVM_RUN on vCPU " + id, Errno.EINTR, Errno.EAGAIN);
    }

    /** Sets the signal mask in force while this vCPU is inside KVM_RUN (kernel sigset, 8 bytes). */
    public void setSignalMask(long mask) {
        try (var arena = Arena.ofConfined()) {
            var m = arena.allocate(KvmCpuStructs.SIGNAL_MASK.byteSize() + KvmCpuStructs.KERNEL_SIGSET_SIZE,
                    KvmCpuStructs.SIGNAL_MASK.byteAlignment());
            KvmCpuStructs.SIGNAL_MASK_LEN.set(m, (int) KvmCpuStructs.KERNEL_SIGSET_SIZE);
            KvmCpuStructs.SIGNAL_MASK_WORD.set(m, 0L, (int) mask);
            KvmCpuStructs.SIGNAL_MASK_WORD.set(m, 1L, (int) (mask >>> 32));
            Libc.ioctl(fd.get(), KvmIoctl.SET_SIGNAL_MASK, m, "KVM_SET_SIGNAL_MASK");
        }
    }

    /**
     * KVM_KVMCLOCK_CTRL: tells a guest using kvm-clock that the host paused it, so that its
     * soft-lockup watchdog does not blame itself for the time that passed (QEMU does the same
     * whenever it stops a VM). A guest without kvm-clock (the test guest) makes KVM refuse with
     * EINVAL, which is fine.
     */
    public void markPausedForKvmClock() {
        Libc.ioctlOrErrno(fd.get(), KvmIoctl.KVMCLOCK_CTRL, 0L, "KVM_KVMCLOCK_CTRL on vCPU " + id, Errno.EINVAL);
    }

    /** KVM_GET_TSC_KHZ: the rate of this vCPU's TSC, or 0 where KVM does not know it. */
    public int tscKhz() {
        int khz = Libc.ioctlOrErrno(fd.get(), KvmIoctl.GET_TSC_KHZ, 0L, "KVM_GET_TSC_KHZ on vCPU " + id,
                Errno.EIO, Errno.ENOTTY, Errno.EINVAL);
        return Math.max(0, khz);
    }

    /** KVM_SET_TSC_KHZ: runs this vCPU's TSC at {@code khz}, scaled by the CPU where the host's rate differs. */
    public void setTscKhz(int khz) {
        Libc.ioctl(fd.get(), KvmIoctl.SET_TSC_KHZ, khz, "KVM_SET_TSC_KHZ " + khz + " on vCPU " + id);
    }

    public void setCpuid(Cpuid cpuid) {
        try (var arena = Arena.ofConfined()) {
            Libc.ioctl(fd.get(), KvmIoctl.SET_CPUID2, cpuid.toNative(arena), "KVM_SET_CPUID2 on vCPU " + id);
        }
    }

    /** Reads a state blob of {@code size} bytes with a GET ioctl. */
    public byte[] get(long request, long size, String name) {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(size, 8);
            Libc.ioctl(fd.get(), request, buf, name + " on vCPU " + id);
            return buf.toArray(JAVA_BYTE);
        }
    }

    public void set(long request, byte[] state, String name) {
        try (var arena = Arena.ofConfined()) {
            Libc.ioctl(fd.get(), request, arena.allocateFrom(JAVA_BYTE, state), name + " on vCPU " + id);
        }
    }

    /** KVM_GET_MP_STATE: one of KvmStructs.MP_STATE_*. */
    public int mpState() {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(KvmCpuStructs.MP_STATE);
            Libc.ioctl(fd.get(), KvmIoctl.GET_MP_STATE, buf, "KVM_GET_MP_STATE on vCPU " + id);
            return (int) KvmCpuStructs.MP_STATE_VALUE.get(buf);
        }
    }

    public byte[] regs() { return get(KvmIoctl.GET_REGS, KvmStructs.REGS_SIZE, "KVM_GET_REGS"); }

    public void setRegs(byte[] regs) { set(KvmIoctl.SET_REGS, regs, "KVM_SET_REGS"); }

    public byte[] sregs() { return get(KvmIoctl.GET_SREGS, KvmStructs.SREGS_SIZE, "KVM_GET_SREGS"); }

    public void setSregs(byte[] sregs) { set(KvmIoctl.SET_SREGS, sregs, "KVM_SET_SREGS"); }

    public long reg(byte[] regs, KvmStructs.Reg r) {
        return MemorySegment.ofArray(regs).get(JAVA_LONG_UNALIGNED, r.offset());
    }

    /** The x87/SSE control words a freshly reset CPU has (fcw 0x37f, mxcsr 0x1f80), as Linux expects at entry. */
    public void initFpu() {
        try (var arena = Arena.ofConfined()) {
            var fpu = arena.allocate(KvmCpuStructs.FPU);
            KvmCpuStructs.FPU_FCW.set(fpu, FCW_RESET);
            KvmCpuStructs.FPU_MXCSR.set(fpu, MXCSR_RESET);
            Libc.ioctl(fd.get(), KvmIoctl.SET_FPU, fpu, "KVM_SET_FPU on vCPU " + id);
        }
    }

    /** Reads the MSRs with the given indices; returns their values in the same order. */
    public long[] msrs(int[] indices) {
        try (var arena = Arena.ofConfined()) {
            var buf = msrBuffer(arena, indices);
            int n = Libc.ioctl(fd.get(), KvmIoctl.GET_MSRS, buf, "KVM_GET_MSRS on vCPU " + id);
            if (n != indices.length) {
                throw new IllegalStateException("KVM_GET_MSRS read " + n + " of " + indices.length
                        + " MSRs; first unreadable: 0x" + Integer.toHexString(indices[n]));
            }
            long[] out = new long[indices.length];
            for (int i = 0; i < indices.length; i++) out[i] = (long) KvmCpuStructs.MSRS_DATA.get(buf, (long) i);
            return out;
        }
    }

    public void setMsrs(int[] indices, long[] values) {
        try (var arena = Arena.ofConfined()) {
            var buf = msrBuffer(arena, indices);
            for (int i = 0; i < indices.length; i++) KvmCpuStructs.MSRS_DATA.set(buf, (long) i, values[i]);
            int n = Libc.ioctl(fd.get(), KvmIoctl.SET_MSRS, buf, "KVM_SET_MSRS on vCPU " + id);
            if (n != indices.length) {
                throw new IllegalStateException("KVM_SET_MSRS wrote " + n + " of " + indices.length
                        + " MSRs; first refused: 0x" + Integer.toHexString(indices[n]));
            }
        }
    }

    /** A kvm_msrs naming {@code indices}, data zero. */
    private static MemorySegment msrBuffer(Arena arena, int[] indices) {
        var buf = arena.allocate(KvmCpuStructs.msrsSize(indices.length), KvmCpuStructs.MSR_ENTRY.byteAlignment());
        KvmCpuStructs.MSRS_NMSRS.set(buf, indices.length);
        for (int i = 0; i < indices.length; i++) KvmCpuStructs.MSRS_INDEX.set(buf, (long) i, indices[i]);
        return buf;
    }

    @Override
    public void close() {
        runRegion.close();
        fd.close();
    }
}
