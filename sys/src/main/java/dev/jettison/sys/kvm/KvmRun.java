package dev.jettison.sys.kvm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.invoke.VarHandle;

import static dev.jettison.sys.Layouts.array;
import static dev.jettison.sys.Layouts.bytes;
import static dev.jettison.sys.Layouts.field;
import static dev.jettison.sys.Layouts.indexed;
import static dev.jettison.sys.Layouts.offset;
import static dev.jettison.sys.Layouts.u16;
import static dev.jettison.sys.Layouts.u32;
import static dev.jettison.sys.Layouts.u64;
import static dev.jettison.sys.Layouts.u8;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Accessors over a vCPU's mmapped {@code struct kvm_run} (linux/kvm.h, x86_64). {@link #LAYOUT}
 * covers the header and the exit union, the part a VMM reads on every exit; the kernel's
 * mapping is larger (register sync area, coalesced MMIO ring).
 */
public final class KvmRun {
    public static final int EXIT_UNKNOWN = 0, EXIT_EXCEPTION = 1, EXIT_IO = 2, EXIT_HYPERCALL = 3,
            EXIT_DEBUG = 4, EXIT_HLT = 5, EXIT_MMIO = 6, EXIT_IRQ_WINDOW_OPEN = 7, EXIT_SHUTDOWN = 8,
            EXIT_FAIL_ENTRY = 9, EXIT_INTR = 10, EXIT_NMI = 16, EXIT_INTERNAL_ERROR = 17,
            EXIT_SYSTEM_EVENT = 24;
    public static final int INTERNAL_ERROR_EMULATION = 1;
    public static final long EMULATION_FLAG_INSTRUCTION_BYTES = 1;
    public static final int IO_IN = 0, IO_OUT = 1;

    /** The exit-reason-specific part: the members we read, padded to the kernel's 256 bytes. */
    public static final UnionLayout EXIT = MemoryLayout.unionLayout(
            structLayout(u8("direction"), u8("size"), u16("port"), u32("count"), u64("data_offset")).withName("io"),
            structLayout(u64("phys_addr"), bytes("data", 8), u32("len"), u8("is_write"), bytes("pad", 3))
                    .withName("mmio"),
            structLayout(u64("hardware_entry_failure_reason"), u32("cpu"), u32("pad")).withName("fail_entry"),
            structLayout(u32("suberror"), u32("ndata"), array("data", 16, u64("data"))).withName("internal"),
            structLayout(u32("suberror"), u32("ndata"), u64("flags"), u8("insn_size"), bytes("insn_bytes", 15))
                    .withName("emulation_failure"),
            structLayout(u32("type"), u32("ndata"), array("data", 16, u64("data"))).withName("system_event"),
            bytes("padding", 256)).withName("exit");

    public static final StructLayout LAYOUT = structLayout(
            u8("request_interrupt_window"), u8("immediate_exit"), bytes("padding1", 6), u32("exit_reason"),
            u8("ready_for_interrupt_injection"), u8("if_flag"), u16("flags"), u64("cr8"), u64("apic_base"),
            EXIT).withName("kvm_run");

    private static final VarHandle IMMEDIATE_EXIT = field(LAYOUT, "immediate_exit");
    private static final VarHandle EXIT_REASON = field(LAYOUT, "exit_reason");
    private static final VarHandle IO_DIRECTION = field(LAYOUT, "exit.io.direction");
    private static final VarHandle IO_SIZE = field(LAYOUT, "exit.io.size");
    private static final VarHandle IO_PORT = field(LAYOUT, "exit.io.port");
    private static final VarHandle IO_COUNT = field(LAYOUT, "exit.io.count");
    private static final VarHandle IO_DATA_OFFSET = field(LAYOUT, "exit.io.data_offset");
    private static final VarHandle MMIO_PHYS_ADDR = field(LAYOUT, "exit.mmio.phys_addr");
    private static final long MMIO_DATA = offset(LAYOUT, "exit.mmio.data");
    private static final VarHandle MMIO_LEN = field(LAYOUT, "exit.mmio.len");
    private static final VarHandle MMIO_IS_WRITE = field(LAYOUT, "exit.mmio.is_write");
    private static final VarHandle INTERNAL_SUBERROR = field(LAYOUT, "exit.internal.suberror");
    private static final VarHandle INTERNAL_NDATA = field(LAYOUT, "exit.internal.ndata");
    private static final VarHandle INTERNAL_DATA = indexed(LAYOUT, "exit.internal.data");
    private static final VarHandle EMULATION_FLAGS = field(LAYOUT, "exit.emulation_failure.flags");
    private static final VarHandle EMULATION_INSN_SIZE = field(LAYOUT, "exit.emulation_failure.insn_size");
    private static final long EMULATION_INSN_BYTES = offset(LAYOUT, "exit.emulation_failure.insn_bytes");
    private static final long EMULATION_INSN_MAX = 15;
    private static final VarHandle FAIL_ENTRY_REASON = field(LAYOUT, "exit.fail_entry.hardware_entry_failure_reason");
    private static final VarHandle SYSTEM_EVENT_TYPE = field(LAYOUT, "exit.system_event.type");

    private final MemorySegment run;

    public KvmRun(MemorySegment run) {
        if (run.byteSize() < LAYOUT.byteSize()) {
            throw new IllegalArgumentException("kvm_run mapping of " + run.byteSize() + " bytes is smaller than the "
                    + LAYOUT.byteSize() + " bytes of its header and exit union");
        }
        this.run = run;
    }

    public MemorySegment segment() { return run; }

    public void setImmediateExit(boolean on) { IMMEDIATE_EXIT.set(run, (byte) (on ? 1 : 0)); }

    public int exitReason() { return (int) EXIT_REASON.get(run); }

    // io
    public int ioDirection() { return Byte.toUnsignedInt((byte) IO_DIRECTION.get(run)); }
    public int ioSize() { return Byte.toUnsignedInt((byte) IO_SIZE.get(run)); }
    public int ioPort() { return Short.toUnsignedInt((short) IO_PORT.get(run)); }
    public int ioCount() { return (int) IO_COUNT.get(run); }
    public long ioDataOffset() { return (long) IO_DATA_OFFSET.get(run); }

    // mmio
    public long mmioAddress() { return (long) MMIO_PHYS_ADDR.get(run); }
    public long mmioDataOffset() { return MMIO_DATA; }
    public int mmioLength() { return (int) MMIO_LEN.get(run); }
    public boolean mmioIsWrite() { return (byte) MMIO_IS_WRITE.get(run) != 0; }

    // internal error / emulation failure
    public int internalSuberror() { return (int) INTERNAL_SUBERROR.get(run); }
    public int internalNdata() { return (int) INTERNAL_NDATA.get(run); }
    public long internalData(int i) { return (long) INTERNAL_DATA.get(run, (long) i); }
    public long emulationFlags() { return (long) EMULATION_FLAGS.get(run); }
    public byte[] emulationInstructionBytes() {
        int size = (int) Math.min(EMULATION_INSN_MAX, Byte.toUnsignedInt((byte) EMULATION_INSN_SIZE.get(run)));
        byte[] out = new byte[size];
        MemorySegment.copy(run, JAVA_BYTE, EMULATION_INSN_BYTES, out, 0, size);
        return out;
    }

    // fail entry
    public long failEntryReason() { return (long) FAIL_ENTRY_REASON.get(run); }

    // system event
    public int systemEventType() { return (int) SYSTEM_EVENT_TYPE.get(run); }
}
