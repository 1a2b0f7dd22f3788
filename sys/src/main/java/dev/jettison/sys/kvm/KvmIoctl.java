package dev.jettison.sys.kvm;

/**
 * KVM ioctl request numbers (linux/kvm.h, x86_64): _IOC(dir, 0xAE, nr, size) with the struct
 * size folded in, so a mismatch between our layout and the kernel's shows up as EINVAL/ENOTTY
 * rather than as silently corrupted state.
 */
public final class KvmIoctl {
    // /dev/kvm
    public static final long GET_API_VERSION = 0xAE00L;
    public static final long CREATE_VM = 0xAE01L;
    public static final long GET_MSR_INDEX_LIST = 0xC004AE02L;
    public static final long CHECK_EXTENSION = 0xAE03L;
    public static final long GET_VCPU_MMAP_SIZE = 0xAE04L;
    public static final long GET_SUPPORTED_CPUID = 0xC008AE05L;
    // VM
    public static final long CREATE_VCPU = 0xAE41L;
    public static final long GET_DIRTY_LOG = 0x4010AE42L;
    public static final long SET_USER_MEMORY_REGION = 0x4020AE46L;
    public static final long SET_TSS_ADDR = 0xAE47L;
    public static final long SET_IDENTITY_MAP_ADDR = 0x4008AE48L;
    public static final long CREATE_IRQCHIP = 0xAE60L;
    public static final long IRQ_LINE = 0x4008AE61L;
    public static final long GET_IRQCHIP = 0xC208AE62L;
    public static final long SET_IRQCHIP = 0x8208AE63L;
    public static final long CREATE_PIT2 = 0x4040AE77L;
    public static final long SET_CLOCK = 0x4030AE7BL;
    public static final long GET_CLOCK = 0x8030AE7CL;
    public static final long GET_PIT2 = 0x8070AE9FL;
    public static final long SET_PIT2 = 0x4070AEA0L;
    // vCPU
    public static final long RUN = 0xAE80L;
    public static final long GET_REGS = 0x8090AE81L;
    public static final long SET_REGS = 0x4090AE82L;
    public static final long GET_SREGS = 0x8138AE83L;
    public static final long SET_SREGS = 0x4138AE84L;
    public static final long GET_MSRS = 0xC008AE88L;
    public static final long SET_MSRS = 0x4008AE89L;
    public static final long SET_SIGNAL_MASK = 0x4004AE8BL;
    public static final long GET_LAPIC = 0x8400AE8EL;
    public static final long SET_LAPIC = 0x4400AE8FL;
    public static final long SET_CPUID2 = 0x4008AE90L;
    public static final long GET_CPUID2 = 0xC008AE91L;
    public static final long GET_MP_STATE = 0x8004AE98L;
    public static final long SET_MP_STATE = 0x4004AE99L;
    public static final long GET_VCPU_EVENTS = 0x8040AE9FL;
    public static final long SET_VCPU_EVENTS = 0x4040AEA0L;
    public static final long GET_DEBUGREGS = 0x8080AEA1L;
    public static final long SET_DEBUGREGS = 0x4080AEA2L;
    public static final long SET_TSC_KHZ = 0xAEA2L;
    public static final long GET_TSC_KHZ = 0xAEA3L;
    public static final long GET_XSAVE = 0x9000AEA4L;
    public static final long SET_XSAVE = 0x5000AEA5L;
    public static final long GET_XCRS = 0x8188AEA6L;
    public static final long SET_XCRS = 0x4188AEA7L;
    public static final long KVMCLOCK_CTRL = 0xAEADL;

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
    public static final int CAP_MAX_VCPUS = 66;
    public static final int CAP_IMMEDIATE_EXIT = 136;

    public static final int MEM_LOG_DIRTY_PAGES = 1;
    public static final int PIT_SPEAKER_DUMMY = 1;

    private KvmIoctl() {}
}
