package dev.jettison.sys.kvm;

import dev.jettison.sys.Layouts;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

import static dev.jettison.sys.Layouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Sizes of the KVM state structs the VMM moves as opaque byte arrays (snapshots), and named
 * offsets into the register structs it edits as byte arrays. Byte arrays carry no alignment, so
 * these go through unaligned accesses at offsets taken from the layouts in {@link KvmCpuStructs}.
 */
public final class KvmStructs {
    public static final long REGS_SIZE = KvmCpuStructs.REGS.byteSize();
    public static final long SREGS_SIZE = KvmCpuStructs.SREGS.byteSize();
    public static final long LAPIC_SIZE = KvmCpuStructs.LAPIC_STATE.byteSize();
    public static final long XSAVE_SIZE = KvmCpuStructs.XSAVE.byteSize();
    public static final long XCRS_SIZE = KvmCpuStructs.XCRS.byteSize();
    public static final long DEBUGREGS_SIZE = KvmCpuStructs.DEBUGREGS.byteSize();
    public static final long VCPU_EVENTS_SIZE = KvmCpuStructs.VCPU_EVENTS.byteSize();
    public static final long MP_STATE_SIZE = KvmCpuStructs.MP_STATE.byteSize();
    /** kvm_mp_state.mp_state values (KVM_MP_STATE_* in linux/kvm.h). */
    public static final int MP_STATE_RUNNABLE = 0, MP_STATE_UNINITIALIZED = 1, MP_STATE_INIT_RECEIVED = 2,
            MP_STATE_HALTED = 3, MP_STATE_SIPI_RECEIVED = 4;
    public static final long IRQCHIP_SIZE = KvmVmStructs.IRQCHIP.byteSize();
    public static final long PIT_STATE2_SIZE = KvmVmStructs.PIT_STATE2.byteSize();
    public static final long CLOCK_DATA_SIZE = KvmVmStructs.CLOCK_DATA.byteSize();

    /** kvm_regs fields by the kernel's names. */
    public enum Reg { RAX, RBX, RCX, RDX, RSI, RDI, RSP, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RIP, RFLAGS;
        private final long offset = Layouts.offset(KvmCpuStructs.REGS, name().toLowerCase(Locale.ROOT));

        public long offset() { return offset; }
    }

    /** kvm_sregs segment registers by the kernel's names. */
    public enum Seg { CS, DS, ES, FS, GS, SS, TR, LDT;
        private final long offset = Layouts.offset(KvmCpuStructs.SREGS, name().toLowerCase(Locale.ROOT));

        public long offset() { return offset; }
    }
    public static final long SREGS_GDT = offset(KvmCpuStructs.SREGS, "gdt");
    public static final long SREGS_IDT = offset(KvmCpuStructs.SREGS, "idt");
    public static final long SREGS_CR0 = offset(KvmCpuStructs.SREGS, "cr0");
    public static final long SREGS_CR2 = offset(KvmCpuStructs.SREGS, "cr2");
    public static final long SREGS_CR3 = offset(KvmCpuStructs.SREGS, "cr3");
    public static final long SREGS_CR4 = offset(KvmCpuStructs.SREGS, "cr4");
    public static final long SREGS_CR8 = offset(KvmCpuStructs.SREGS, "cr8");
    public static final long SREGS_EFER = offset(KvmCpuStructs.SREGS, "efer");
    public static final long SREGS_APIC_BASE = offset(KvmCpuStructs.SREGS, "apic_base");

    private static final long SEG_BASE = offset(KvmCpuStructs.SEGMENT, "base");
    private static final long SEG_LIMIT = offset(KvmCpuStructs.SEGMENT, "limit");
    private static final long SEG_SELECTOR = offset(KvmCpuStructs.SEGMENT, "selector");
    private static final long SEG_TYPE = offset(KvmCpuStructs.SEGMENT, "type");
    private static final long SEG_PRESENT = offset(KvmCpuStructs.SEGMENT, "present");
    private static final long SEG_DPL = offset(KvmCpuStructs.SEGMENT, "dpl");
    private static final long SEG_DB = offset(KvmCpuStructs.SEGMENT, "db");
    private static final long SEG_S = offset(KvmCpuStructs.SEGMENT, "s");
    private static final long SEG_L = offset(KvmCpuStructs.SEGMENT, "l");
    private static final long SEG_G = offset(KvmCpuStructs.SEGMENT, "g");
    private static final long SEG_AVL = offset(KvmCpuStructs.SEGMENT, "avl");
    private static final long SEG_UNUSABLE = offset(KvmCpuStructs.SEGMENT, "unusable");
    private static final long DTABLE_BASE = offset(KvmCpuStructs.DTABLE, "base");
    private static final long DTABLE_LIMIT = offset(KvmCpuStructs.DTABLE, "limit");

    /** One kvm_segment. {@code type} is the 4-bit descriptor type; flags are the descriptor bits. */
    public record Segment(long base, int limit, int selector, int type, boolean present, int dpl,
                          boolean db, boolean s, boolean l, boolean g) {
        public void writeTo(MemorySegment sregs, Seg which) {
            long o = which.offset();
            sregs.set(JAVA_LONG_UNALIGNED, o + SEG_BASE, base);
            sregs.set(JAVA_INT_UNALIGNED, o + SEG_LIMIT, limit);
            sregs.set(JAVA_SHORT_UNALIGNED, o + SEG_SELECTOR, (short) selector);
            sregs.set(JAVA_BYTE, o + SEG_TYPE, (byte) type);
            sregs.set(JAVA_BYTE, o + SEG_PRESENT, flag(present));
            sregs.set(JAVA_BYTE, o + SEG_DPL, (byte) dpl);
            sregs.set(JAVA_BYTE, o + SEG_DB, flag(db));
            sregs.set(JAVA_BYTE, o + SEG_S, flag(s));
            sregs.set(JAVA_BYTE, o + SEG_L, flag(l));
            sregs.set(JAVA_BYTE, o + SEG_G, flag(g));
            sregs.set(JAVA_BYTE, o + SEG_AVL, (byte) 0);
            sregs.set(JAVA_BYTE, o + SEG_UNUSABLE, flag(!present));
        }

        private static byte flag(boolean on) { return (byte) (on ? 1 : 0); }

        /** The 8-byte GDT descriptor encoding the same segment (for the guest's own GDT copy). */
        public long toGdtEntry() {
            long lim = limit >>> (g ? 12 : 0);
            long e = (lim & 0xFFFFL) | ((base & 0xFFFFFFL) << 16) | ((long) (type & 0xF) << 40)
                    | ((s ? 1L : 0L) << 44) | ((long) (dpl & 3) << 45) | ((present ? 1L : 0L) << 47)
                    | (((lim >>> 16) & 0xFL) << 48) | ((l ? 1L : 0L) << 53) | ((db ? 1L : 0L) << 54)
                    | ((g ? 1L : 0L) << 55) | (((base >>> 24) & 0xFFL) << 56);
            return e;
        }
    }

    /** Writes the kvm_dtable at {@code offset} (SREGS_GDT or SREGS_IDT). */
    public static void setDtable(MemorySegment sregs, long offset, long base, int limit) {
        sregs.set(JAVA_LONG_UNALIGNED, offset + DTABLE_BASE, base);
        sregs.set(JAVA_SHORT_UNALIGNED, offset + DTABLE_LIMIT, (short) limit);
    }

    public static int segmentSelector(MemorySegment sregs, Seg which) {
        return Short.toUnsignedInt(sregs.get(JAVA_SHORT_UNALIGNED, which.offset() + SEG_SELECTOR));
    }

    public static int segmentDpl(MemorySegment sregs, Seg which) {
        return Byte.toUnsignedInt(sregs.get(JAVA_BYTE, which.offset() + SEG_DPL));
    }

    private KvmStructs() {}
}
