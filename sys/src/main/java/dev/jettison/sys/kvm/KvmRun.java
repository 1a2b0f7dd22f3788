package dev.jettison.sys.kvm;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Accessors over a vCPU's mmapped {@code struct kvm_run} (linux/kvm.h). Offsets are x86_64;
 * the exit union starts at byte 32.
 */
public final class KvmRun {
    public static final int EXIT_UNKNOWN = 0, EXIT_EXCEPTION = 1, EXIT_IO = 2, EXIT_HYPERCALL = 3,
            EXIT_DEBUG = 4, EXIT_HLT = 5, EXIT_MMIO = 6, EXIT_IRQ_WINDOW_OPEN = 7, EXIT_SHUTDOWN = 8,
            EXIT_FAIL_ENTRY = 9, EXIT_INTR = 10, EXIT_NMI = 16, EXIT_INTERNAL_ERROR = 17,
            EXIT_SYSTEM_EVENT = 24;
    public static final int INTERNAL_ERROR_EMULATION = 1;
    public static final long EMULATION_FLAG_INSTRUCTION_BYTES = 1;
    public static final int IO_IN = 0, IO_OUT = 1;
    private static final long UNION = 32;

    private final MemorySegment run;

    public KvmRun(MemorySegment run) {
        this.run = run;
    }

    public MemorySegment segment() { return run; }

    public void setImmediateExit(boolean on) { run.set(JAVA_BYTE, 1, (byte) (on ? 1 : 0)); }

    public int exitReason() { return run.get(JAVA_INT, 8); }

    // io
    public int ioDirection() { return Byte.toUnsignedInt(run.get(JAVA_BYTE, UNION)); }
    public int ioSize() { return Byte.toUnsignedInt(run.get(JAVA_BYTE, UNION + 1)); }
    public int ioPort() { return Short.toUnsignedInt(run.get(JAVA_SHORT, UNION + 2)); }
    public int ioCount() { return run.get(JAVA_INT, UNION + 4); }
    public long ioDataOffset() { return run.get(JAVA_LONG, UNION + 8); }

    // mmio
    public long mmioAddress() { return run.get(JAVA_LONG, UNION); }
    public long mmioDataOffset() { return UNION + 8; }
    public int mmioLength() { return run.get(JAVA_INT, UNION + 16); }
    public boolean mmioIsWrite() { return run.get(JAVA_BYTE, UNION + 20) != 0; }

    // internal error / emulation failure
    public int internalSuberror() { return run.get(JAVA_INT, UNION); }
    public int internalNdata() { return run.get(JAVA_INT, UNION + 4); }
    public long internalData(int i) { return run.get(JAVA_LONG, UNION + 8 + 8L * i); }
    public long emulationFlags() { return run.get(JAVA_LONG, UNION + 8); }
    public byte[] emulationInstructionBytes() {
        int size = Math.min(15, Byte.toUnsignedInt(run.get(JAVA_BYTE, UNION + 16)));
        byte[] out = new byte[size];
        MemorySegment.copy(run, JAVA_BYTE, UNION + 17, out, 0, size);
        return out;
    }

    // fail entry
    public long failEntryReason() { return run.get(JAVA_LONG, UNION); }

    // system event
    public int systemEventType() { return run.get(JAVA_INT, UNION); }
}
