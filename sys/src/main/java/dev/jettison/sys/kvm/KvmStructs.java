package dev.jettison.sys.kvm;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/** Sizes and field offsets of the KVM structs we read and write (linux/kvm.h, x86_64). */
public final class KvmStructs {
    public static final long REGS_SIZE = 144;
    public static final long SREGS_SIZE = 312;
    public static final long LAPIC_SIZE = 1024;
    public static final long XSAVE_SIZE = 4096;
    public static final long XCRS_SIZE = 392;
    public static final long DEBUGREGS_SIZE = 128;
    public static final long VCPU_EVENTS_SIZE = 64;
    public static final long MP_STATE_SIZE = 4;
    public static final long IRQCHIP_SIZE = 520;
    public static final long PIT_STATE2_SIZE = 112;
    public static final long CLOCK_DATA_SIZE = 48;
    public static final long PIT_CONFIG_SIZE = 64;
    public static final long MEMORY_REGION_SIZE = 32;
    public static final long DIRTY_LOG_SIZE = 16;
    public static final long CPUID_ENTRY_SIZE = 40;
    public static final long MSR_ENTRY_SIZE = 16;

    /** kvm_regs: general registers in this order, then rip and rflags. */
    public enum Reg { RAX, RBX, RCX, RDX, RSI, RDI, RSP, RBP, R8, R9, R10, R11, R12, R13, R14, R15, RIP, RFLAGS;
        public long offset() { return 8L * ordinal(); }
    }

    /** kvm_sregs: eight 24-byte segments, two 16-byte descriptor tables, then control registers. */
    public enum Seg { CS, DS, ES, FS, GS, SS, TR, LDT;
        public long offset() { return 24L * ordinal(); }
    }
    public static final long SREGS_GDT = 192, SREGS_IDT = 208;
    public static final long SREGS_CR0 = 224, SREGS_CR2 = 232, SREGS_CR3 = 240, SREGS_CR4 = 248,
            SREGS_CR8 = 256, SREGS_EFER = 264, SREGS_APIC_BASE = 272;

    /** One kvm_segment. {@code type} is the 4-bit descriptor type; flags are the descriptor bits. */
    public record Segment(long base, int limit, int selector, int type, boolean present, int dpl,
                          boolean db, boolean s, boolean l, boolean g) {
        public void writeTo(MemorySegment sregs, Seg which) {
            long o = which.offset();
            sregs.set(JAVA_LONG_UNALIGNED, o, base);
            sregs.set(JAVA_INT_UNALIGNED, o + 8, limit);
            sregs.set(JAVA_SHORT_UNALIGNED, o + 12, (short) selector);
            sregs.set(JAVA_BYTE, o + 14, (byte) type);
            sregs.set(JAVA_BYTE, o + 15, (byte) (present ? 1 : 0));
            sregs.set(JAVA_BYTE, o + 16, (byte) dpl);
            sregs.set(JAVA_BYTE, o + 17, (byte) (db ? 1 : 0));
            sregs.set(JAVA_BYTE, o + 18, (byte) (s ? 1 : 0));
            sregs.set(JAVA_BYTE, o + 19, (byte) (l ? 1 : 0));
            sregs.set(JAVA_BYTE, o + 20, (byte) (g ? 1 : 0));
            sregs.set(JAVA_BYTE, o + 21, (byte) 0); // avl
            sregs.set(JAVA_BYTE, o + 22, (byte) (present ? 0 : 1)); // unusable
        }

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

    public static void setDtable(MemorySegment sregs, long offset, long base, int limit) {
        sregs.set(JAVA_LONG_UNALIGNED, offset, base);
        sregs.set(JAVA_SHORT_UNALIGNED, offset + 8, (short) limit);
    }

    public static int segmentSelector(MemorySegment sregs, Seg which) {
        return Short.toUnsignedInt(sregs.get(JAVA_SHORT_UNALIGNED, which.offset() + 12));
    }

    public static int segmentDpl(MemorySegment sregs, Seg which) {
        return Byte.toUnsignedInt(sregs.get(JAVA_BYTE, which.offset() + 16));
    }

    private KvmStructs() {}
}
