package dev.jettison.sys.kvm;

import dev.jettison.sys.Ioc;

/**
 * KVM ioctl request numbers (linux/kvm.h, x86_64), each built the way the kernel's header
 * builds it: {@code _IO/_IOR/_IOW/_IOWR(KVMIO, nr, struct)}. The struct's size is folded into
 * the number, so a layout that drifts from the kernel's fails with ENOTTY instead of silently
 * corrupting state. The directions are the header's, quirks included (KVM_SET_IRQCHIP is _IOR).
 */
public final class KvmIoctl {
    /** The ioctl type byte of every KVM request. */
    public static final int KVMIO = 0xAE;

    // /dev/kvm
    public static final long GET_API_VERSION = Ioc.none(KVMIO, 0x00);
    public static final long CREATE_VM = Ioc.none(KVMIO, 0x01);
    public static final long GET_MSR_INDEX_LIST = Ioc.readWrite(KVMIO, 0x02, KvmCpuStructs.MSR_LIST);
    public static final long CHECK_EXTENSION = Ioc.none(KVMIO, 0x03);
    public static final long GET_VCPU_MMAP_SIZE = Ioc.none(KVMIO, 0x04);
    public static final long GET_SUPPORTED_CPUID = Ioc.readWrite(KVMIO, 0x05, KvmCpuStructs.CPUID2);
    // VM
    public static final long CREATE_VCPU = Ioc.none(KVMIO, 0x41);
    public static final long GET_DIRTY_LOG = Ioc.write(KVMIO, 0x42, KvmVmStructs.DIRTY_LOG);
    public static final long SET_USER_MEMORY_REGION = Ioc.write(KVMIO, 0x46, KvmVmStructs.USERSPACE_MEMORY_REGION);
    public static final long SET_TSS_ADDR = Ioc.none(KVMIO, 0x47);
    public static final long SET_IDENTITY_MAP_ADDR = Ioc.write(KVMIO, 0x48, KvmVmStructs.IDENTITY_MAP_ADDR);
    public static final long CREATE_IRQCHIP = Ioc.none(KVMIO, 0x60);
    public static final long IRQ_LINE = Ioc.write(KVMIO, 0x61, KvmVmStructs.IRQ_LEVEL);
    public static final long GET_IRQCHIP = Ioc.readWrite(KVMIO, 0x62, KvmVmStructs.IRQCHIP);
    public static final long SET_IRQCHIP = Ioc.read(KVMIO, 0x63, KvmVmStructs.IRQCHIP);
    public static final long CREATE_PIT2 = Ioc.write(KVMIO, 0x77, KvmVmStructs.PIT_CONFIG);
    public static final long SET_CLOCK = Ioc.write(KVMIO, 0x7B, KvmVmStructs.CLOCK_DATA);
    public static final long GET_CLOCK = Ioc.read(KVMIO, 0x7C, KvmVmStructs.CLOCK_DATA);
    public static final long GET_PIT2 = Ioc.read(KVMIO, 0x9F, KvmVmStructs.PIT_STATE2);
    public static final long SET_PIT2 = Ioc.write(KVMIO, 0xA0, KvmVmStructs.PIT_STATE2);
    // vCPU
    public static final long RUN = Ioc.none(KVMIO, 0x80);
    public static final long GET_REGS = Ioc.read(KVMIO, 0x81, KvmCpuStructs.REGS);
    public static final long SET_REGS = Ioc.write(KVMIO, 0x82, KvmCpuStructs.REGS);
    public static final long GET_SREGS = Ioc.read(KVMIO, 0x83, KvmCpuStructs.SREGS);
    public static final long SET_SREGS = Ioc.write(KVMIO, 0x84, KvmCpuStructs.SREGS);
    public static final long GET_MSRS = Ioc.readWrite(KVMIO, 0x88, KvmCpuStructs.MSRS);
    public static final long SET_MSRS = Ioc.write(KVMIO, 0x89, KvmCpuStructs.MSRS);
    public static final long SET_SIGNAL_MASK = Ioc.write(KVMIO, 0x8B, KvmCpuStructs.SIGNAL_MASK);
    public static final long GET_FPU = Ioc.read(KVMIO, 0x8C, KvmCpuStructs.FPU);
    public static final long SET_FPU = Ioc.write(KVMIO, 0x8D, KvmCpuStructs.FPU);
    public static final long GET_LAPIC = Ioc.read(KVMIO, 0x8E, KvmCpuStructs.LAPIC_STATE);
    public static final long SET_LAPIC = Ioc.write(KVMIO, 0x8F, KvmCpuStructs.LAPIC_STATE);
    public static final long SET_CPUID2 = Ioc.write(KVMIO, 0x90, KvmCpuStructs.CPUID2);
    public static final long GET_CPUID2 = Ioc.readWrite(KVMIO, 0x91, KvmCpuStructs.CPUID2);
    public static final long GET_MP_STATE = Ioc.read(KVMIO, 0x98, KvmCpuStructs.MP_STATE);
    public static final long SET_MP_STATE = Ioc.write(KVMIO, 0x99, KvmCpuStructs.MP_STATE);
    public static final long GET_VCPU_EVENTS = Ioc.read(KVMIO, 0x9F, KvmCpuStructs.VCPU_EVENTS);
    public static final long SET_VCPU_EVENTS = Ioc.write(KVMIO, 0xA0, KvmCpuStructs.VCPU_EVENTS);
    public static final long GET_DEBUGREGS = Ioc.read(KVMIO, 0xA1, KvmCpuStructs.DEBUGREGS);
    public static final long SET_DEBUGREGS = Ioc.write(KVMIO, 0xA2, KvmCpuStructs.DEBUGREGS);
    public static final long SET_TSC_KHZ = Ioc.none(KVMIO, 0xA2);
    public static final long GET_TSC_KHZ = Ioc.none(KVMIO, 0xA3);
    public static final long GET_XSAVE = Ioc.read(KVMIO, 0xA4, KvmCpuStructs.XSAVE);
    public static final long SET_XSAVE = Ioc.write(KVMIO, 0xA5, KvmCpuStructs.XSAVE);
    public static final long GET_XCRS = Ioc.read(KVMIO, 0xA6, KvmCpuStructs.XCRS);
    public static final long SET_XCRS = Ioc.write(KVMIO, 0xA7, KvmCpuStructs.XCRS);
    public static final long KVMCLOCK_CTRL = Ioc.none(KVMIO, 0xAD);

    public static final int API_VERSION = 12;

    // KVM_CHECK_EXTENSION capabilities we rely on.
    public static final int CAP_IRQCHIP = 0;
    public static final int CAP_USER_MEMORY = 3;
    public static final int CAP_SET_TSS_ADDR = 4;
    public static final int CAP_EXT_CPUID = 7;
    public static final int CAP_NR_VCPUS = 9;
    public static final int CAP_NR_MEMSLOTS = 10;
    public static final int CAP_PIT2 = 33;
    public static final int CAP_MP_STATE = 14;
    public static final int CAP_SET_IDENTITY_MAP_ADDR = 37;
    public static final int CAP_ADJUST_CLOCK = 39;
    public static final int CAP_VCPU_EVENTS = 41;
    public static final int CAP_DEBUGREGS = 50;
    public static final int CAP_XSAVE = 55;
    public static final int CAP_XCRS = 56;
    public static final int CAP_TSC_CONTROL = 60;
    public static final int CAP_GET_TSC_KHZ = 61;
    public static final int CAP_MAX_VCPUS = 66;
    public static final int CAP_TSC_DEADLINE_TIMER = 72;
    public static final int CAP_KVMCLOCK_CTRL = 76;
    public static final int CAP_IMMEDIATE_EXIT = 136;

    public static final int MEM_LOG_DIRTY_PAGES = 1;
    public static final int PIT_SPEAKER_DUMMY = 1;

    private KvmIoctl() {}
}
