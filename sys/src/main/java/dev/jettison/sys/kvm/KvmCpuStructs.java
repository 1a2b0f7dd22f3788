package dev.jettison.sys.kvm;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static dev.jettison.sys.Layouts.array;
import static dev.jettison.sys.Layouts.bytes;
import static dev.jettison.sys.Layouts.element;
import static dev.jettison.sys.Layouts.field;
import static dev.jettison.sys.Layouts.u16;
import static dev.jettison.sys.Layouts.u32;
import static dev.jettison.sys.Layouts.u64;
import static dev.jettison.sys.Layouts.u8;
import static java.lang.foreign.MemoryLayout.structLayout;

/**
 * The per-vCPU structs of linux/kvm.h and asm/kvm.h (x86_64), field for field. Structs the VMM
 * builds in native memory come with field handles taking the segment; structs it keeps as byte
 * arrays (registers, snapshot blobs) are read through {@link KvmStructs}'s named offsets.
 */
public final class KvmCpuStructs {
    private KvmCpuStructs() {}

    /** struct kvm_regs: the general registers, then rip and rflags. */
    public static final StructLayout REGS = structLayout(
            u64("rax"), u64("rbx"), u64("rcx"), u64("rdx"), u64("rsi"), u64("rdi"), u64("rsp"), u64("rbp"),
            u64("r8"), u64("r9"), u64("r10"), u64("r11"), u64("r12"), u64("r13"), u64("r14"), u64("r15"),
            u64("rip"), u64("rflags")).withName("kvm_regs");

    /** struct kvm_segment: a segment register as the CPU caches it, flags one byte each. */
    public static final StructLayout SEGMENT = structLayout(
            u64("base"), u32("limit"), u16("selector"), u8("type"), u8("present"), u8("dpl"), u8("db"),
            u8("s"), u8("l"), u8("g"), u8("avl"), u8("unusable"), u8("padding")).withName("kvm_segment");

    /** struct kvm_dtable: a GDTR or IDTR. */
    public static final StructLayout DTABLE = structLayout(
            u64("base"), u16("limit"), array("padding", 3, u16("padding"))).withName("kvm_dtable");

    /** struct kvm_sregs: segments, descriptor tables, control registers, pending-interrupt bitmap. */
    public static final StructLayout SREGS = structLayout(
            SEGMENT.withName("cs"), SEGMENT.withName("ds"), SEGMENT.withName("es"), SEGMENT.withName("fs"),
            SEGMENT.withName("gs"), SEGMENT.withName("ss"), SEGMENT.withName("tr"), SEGMENT.withName("ldt"),
            DTABLE.withName("gdt"), DTABLE.withName("idt"),
            u64("cr0"), u64("cr2"), u64("cr3"), u64("cr4"), u64("cr8"), u64("efer"), u64("apic_base"),
            array("interrupt_bitmap", 4, u64("word"))).withName("kvm_sregs");

    /** struct kvm_fpu: the legacy x87/SSE state (FXSAVE-like). */
    public static final StructLayout FPU = structLayout(
            bytes("fpr", 8 * 16), u16("fcw"), u16("fsw"), u8("ftwx"), u8("pad1"), u16("last_opcode"),
            u64("last_ip"), u64("last_dp"), bytes("xmm", 16 * 16), u32("mxcsr"), u32("pad2")).withName("kvm_fpu");
    public static final VarHandle FPU_FCW = field(FPU, "fcw");
    public static final VarHandle FPU_MXCSR = field(FPU, "mxcsr");

    /** struct kvm_msr_entry. */
    public static final StructLayout MSR_ENTRY = structLayout(u32("index"), u32("reserved"), u64("data"))
            .withName("kvm_msr_entry");
    /** struct kvm_msrs: a count, then that many kvm_msr_entry (a flexible array member). */
    public static final StructLayout MSRS = structLayout(u32("nmsrs"), u32("pad")).withName("kvm_msrs");
    public static final VarHandle MSRS_NMSRS = field(MSRS, "nmsrs");
    public static final VarHandle MSRS_INDEX = element(MSR_ENTRY, MSRS.byteSize(), "index");
    public static final VarHandle MSRS_DATA = element(MSR_ENTRY, MSRS.byteSize(), "data");

    /** struct kvm_msr_list: a count, then that many u32 MSR indices. */
    public static final StructLayout MSR_LIST = structLayout(u32("nmsrs")).withName("kvm_msr_list");
    public static final VarHandle MSR_LIST_NMSRS = field(MSR_LIST, "nmsrs");
    public static final VarHandle MSR_LIST_INDEX = element(u32("index"), MSR_LIST.byteSize(), "");

    /** struct kvm_cpuid_entry2: one CPUID leaf/sub-leaf and the registers it returns. */
    public static final StructLayout CPUID_ENTRY2 = structLayout(
            u32("function"), u32("index"), u32("flags"), u32("eax"), u32("ebx"), u32("ecx"), u32("edx"),
            array("padding", 3, u32("padding"))).withName("kvm_cpuid_entry2");
    /** struct kvm_cpuid2: a count, then that many kvm_cpuid_entry2. */
    public static final StructLayout CPUID2 = structLayout(u32("nent"), u32("padding")).withName("kvm_cpuid2");
    public static final VarHandle CPUID2_NENT = field(CPUID2, "nent");
    public static final VarHandle CPUID_FUNCTION = element(CPUID_ENTRY2, CPUID2.byteSize(), "function");
    public static final VarHandle CPUID_INDEX = element(CPUID_ENTRY2, CPUID2.byteSize(), "index");
    public static final VarHandle CPUID_FLAGS = element(CPUID_ENTRY2, CPUID2.byteSize(), "flags");
    public static final VarHandle CPUID_EAX = element(CPUID_ENTRY2, CPUID2.byteSize(), "eax");
    public static final VarHandle CPUID_EBX = element(CPUID_ENTRY2, CPUID2.byteSize(), "ebx");
    public static final VarHandle CPUID_ECX = element(CPUID_ENTRY2, CPUID2.byteSize(), "ecx");
    public static final VarHandle CPUID_EDX = element(CPUID_ENTRY2, CPUID2.byteSize(), "edx");

    /** struct kvm_signal_mask: a length, then the kernel sigset of that many bytes. */
    public static final StructLayout SIGNAL_MASK = structLayout(u32("len")).withName("kvm_signal_mask");
    public static final VarHandle SIGNAL_MASK_LEN = field(SIGNAL_MASK, "len");
    /** The kernel's sigset_t on x86_64: 64 signals, one bit each, handed over as two u32 words. */
    public static final long KERNEL_SIGSET_SIZE = 8;
    public static final VarHandle SIGNAL_MASK_WORD = element(u32("word"), SIGNAL_MASK.byteSize(), "");

    /** struct kvm_lapic_state: the local APIC's register page. */
    public static final StructLayout LAPIC_STATE = structLayout(bytes("regs", 1024)).withName("kvm_lapic_state");

    /** struct kvm_xsave: the XSAVE area (the legacy 4 KiB form). */
    public static final StructLayout XSAVE = structLayout(array("region", 1024, u32("word"))).withName("kvm_xsave");

    /** struct kvm_xcr and kvm_xcrs: the extended control registers (XCR0). */
    public static final StructLayout XCR = structLayout(u32("xcr"), u32("reserved"), u64("value")).withName("kvm_xcr");
    public static final StructLayout XCRS = structLayout(
            u32("nr_xcrs"), u32("flags"), array("xcrs", 16, XCR), array("padding", 16, u64("padding")))
            .withName("kvm_xcrs");

    /** struct kvm_debugregs. */
    public static final StructLayout DEBUGREGS = structLayout(
            array("db", 4, u64("db")), u64("dr6"), u64("dr7"), u64("flags"), array("reserved", 9, u64("reserved")))
            .withName("kvm_debugregs");

    /** struct kvm_vcpu_events: exceptions, interrupts, NMIs and SMIs pending or in flight. */
    public static final StructLayout VCPU_EVENTS = structLayout(
            structLayout(u8("injected"), u8("nr"), u8("has_error_code"), u8("pending"), u32("error_code"))
                    .withName("exception"),
            structLayout(u8("injected"), u8("nr"), u8("soft"), u8("shadow")).withName("interrupt"),
            structLayout(u8("injected"), u8("pending"), u8("masked"), u8("pad")).withName("nmi"),
            u32("sipi_vector"), u32("flags"),
            structLayout(u8("smm"), u8("pending"), u8("smm_inside_nmi"), u8("latched_init")).withName("smi"),
            structLayout(u8("pending")).withName("triple_fault"),
            bytes("reserved", 26), u8("exception_has_payload"), u64("exception_payload")).withName("kvm_vcpu_events");

    /** struct kvm_mp_state: runnable, halted, waiting for INIT/SIPI... */
    public static final StructLayout MP_STATE = structLayout(u32("mp_state")).withName("kvm_mp_state");
    public static final VarHandle MP_STATE_VALUE = field(MP_STATE, "mp_state");

    /** Bytes of a kvm_msrs holding {@code n} entries. */
    public static long msrsSize(int n) { return MSRS.byteSize() + MSR_ENTRY.byteSize() * n; }

    /** Bytes of a kvm_cpuid2 holding {@code n} entries. */
    public static long cpuid2Size(int n) { return CPUID2.byteSize() + CPUID_ENTRY2.byteSize() * n; }

    /** Bytes of a kvm_msr_list holding {@code n} indices. */
    public static long msrListSize(int n) { return MSR_LIST.byteSize() + 4L * n; }
}
