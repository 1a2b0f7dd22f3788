package dev.jettison.sys.kvm;

import dev.jettison.sys.Layouts;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each layout's size and the offsets of the fields we touch, against sizeof/offsetof printed by
 * a C program built with gcc against linux/kvm.h (x86_64).
 */
class KvmLayoutsTest {
    private static void offset(long expected, MemoryLayout struct, String path) {
        assertEquals(expected, Layouts.offset(struct, path), () -> struct.name().orElseThrow() + "." + path);
    }

    private static void size(long expected, MemoryLayout struct) {
        assertEquals(expected, struct.byteSize(), () -> "sizeof " + struct.name().orElseThrow());
    }

    @Test
    void vcpuStructsMatchTheKernel() {
        size(144, KvmCpuStructs.REGS);
        offset(32, KvmCpuStructs.REGS, "rsi");
        offset(48, KvmCpuStructs.REGS, "rsp");
        offset(128, KvmCpuStructs.REGS, "rip");
        offset(136, KvmCpuStructs.REGS, "rflags");
        size(24, KvmCpuStructs.SEGMENT);
        offset(8, KvmCpuStructs.SEGMENT, "limit");
        offset(12, KvmCpuStructs.SEGMENT, "selector");
        offset(14, KvmCpuStructs.SEGMENT, "type");
        offset(16, KvmCpuStructs.SEGMENT, "dpl");
        offset(22, KvmCpuStructs.SEGMENT, "unusable");
        size(16, KvmCpuStructs.DTABLE);
        size(312, KvmCpuStructs.SREGS);
        offset(120, KvmCpuStructs.SREGS, "ss");
        offset(144, KvmCpuStructs.SREGS, "tr");
        offset(168, KvmCpuStructs.SREGS, "ldt");
        offset(192, KvmCpuStructs.SREGS, "gdt");
        offset(208, KvmCpuStructs.SREGS, "idt");
        offset(224, KvmCpuStructs.SREGS, "cr0");
        offset(240, KvmCpuStructs.SREGS, "cr3");
        offset(248, KvmCpuStructs.SREGS, "cr4");
        offset(264, KvmCpuStructs.SREGS, "efer");
        offset(272, KvmCpuStructs.SREGS, "apic_base");
        offset(280, KvmCpuStructs.SREGS, "interrupt_bitmap");
        size(416, KvmCpuStructs.FPU);
        offset(128, KvmCpuStructs.FPU, "fcw");
        offset(136, KvmCpuStructs.FPU, "last_ip");
        offset(152, KvmCpuStructs.FPU, "xmm");
        offset(408, KvmCpuStructs.FPU, "mxcsr");
        size(16, KvmCpuStructs.MSR_ENTRY);
        offset(8, KvmCpuStructs.MSR_ENTRY, "data");
        size(8, KvmCpuStructs.MSRS);
        size(4, KvmCpuStructs.MSR_LIST);
        size(40, KvmCpuStructs.CPUID_ENTRY2);
        offset(12, KvmCpuStructs.CPUID_ENTRY2, "eax");
        offset(24, KvmCpuStructs.CPUID_ENTRY2, "edx");
        size(8, KvmCpuStructs.CPUID2);
        size(4, KvmCpuStructs.SIGNAL_MASK);
        size(1024, KvmCpuStructs.LAPIC_STATE);
        size(4096, KvmCpuStructs.XSAVE);
        size(16, KvmCpuStructs.XCR);
        size(392, KvmCpuStructs.XCRS);
        offset(8, KvmCpuStructs.XCRS, "xcrs");
        size(128, KvmCpuStructs.DEBUGREGS);
        offset(32, KvmCpuStructs.DEBUGREGS, "dr6");
        offset(40, KvmCpuStructs.DEBUGREGS, "dr7");
        size(64, KvmCpuStructs.VCPU_EVENTS);
        offset(12, KvmCpuStructs.VCPU_EVENTS, "nmi");
        offset(16, KvmCpuStructs.VCPU_EVENTS, "sipi_vector");
        offset(20, KvmCpuStructs.VCPU_EVENTS, "flags");
        offset(24, KvmCpuStructs.VCPU_EVENTS, "smi");
        offset(29, KvmCpuStructs.VCPU_EVENTS, "reserved");
        offset(56, KvmCpuStructs.VCPU_EVENTS, "exception_payload");
        size(4, KvmCpuStructs.MP_STATE);
    }

    @Test
    void vmStructsMatchTheKernel() {
        size(32, KvmVmStructs.USERSPACE_MEMORY_REGION);
        offset(4, KvmVmStructs.USERSPACE_MEMORY_REGION, "flags");
        offset(8, KvmVmStructs.USERSPACE_MEMORY_REGION, "guest_phys_addr");
        offset(16, KvmVmStructs.USERSPACE_MEMORY_REGION, "memory_size");
        offset(24, KvmVmStructs.USERSPACE_MEMORY_REGION, "userspace_addr");
        size(16, KvmVmStructs.DIRTY_LOG);
        offset(8, KvmVmStructs.DIRTY_LOG, "dirty_bitmap");
        size(8, KvmVmStructs.IRQ_LEVEL);
        offset(4, KvmVmStructs.IRQ_LEVEL, "level");
        size(64, KvmVmStructs.PIT_CONFIG);
        size(16, KvmVmStructs.PIC_STATE);
        size(216, KvmVmStructs.IOAPIC_STATE);
        size(520, KvmVmStructs.IRQCHIP);
        offset(8, KvmVmStructs.IRQCHIP, "chip");
        size(24, KvmVmStructs.PIT_CHANNEL_STATE);
        size(112, KvmVmStructs.PIT_STATE2);
        offset(72, KvmVmStructs.PIT_STATE2, "flags");
        size(48, KvmVmStructs.CLOCK_DATA);
        offset(8, KvmVmStructs.CLOCK_DATA, "flags");
        offset(16, KvmVmStructs.CLOCK_DATA, "realtime");
    }

    @Test
    void kvmRunMatchesTheKernel() {
        offset(1, KvmRun.LAYOUT, "immediate_exit");
        offset(8, KvmRun.LAYOUT, "exit_reason");
        offset(16, KvmRun.LAYOUT, "cr8");
        offset(24, KvmRun.LAYOUT, "apic_base");
        offset(32, KvmRun.LAYOUT, "exit");
        offset(34, KvmRun.LAYOUT, "exit.io.port");
        offset(36, KvmRun.LAYOUT, "exit.io.count");
        offset(40, KvmRun.LAYOUT, "exit.io.data_offset");
        offset(40, KvmRun.LAYOUT, "exit.mmio.data");
        offset(48, KvmRun.LAYOUT, "exit.mmio.len");
        offset(52, KvmRun.LAYOUT, "exit.mmio.is_write");
        offset(36, KvmRun.LAYOUT, "exit.internal.ndata");
        offset(40, KvmRun.LAYOUT, "exit.internal.data");
        offset(40, KvmRun.LAYOUT, "exit.emulation_failure.flags");
        offset(48, KvmRun.LAYOUT, "exit.emulation_failure.insn_size");
        offset(49, KvmRun.LAYOUT, "exit.emulation_failure.insn_bytes");
        offset(40, KvmRun.LAYOUT, "exit.fail_entry.cpu");
        offset(36, KvmRun.LAYOUT, "exit.system_event.ndata");
        size(288, KvmRun.LAYOUT); // kvm_valid_regs follows at 288
    }

    @Test
    void kvmRunReadsEachExitFieldWhereTheKernelWritesIt() {
        try (var arena = Arena.ofConfined()) {
            var page = arena.allocate(4096, 4096);
            page.set(JAVA_INT, 8, KvmRun.EXIT_IO);
            page.set(JAVA_BYTE, 32, (byte) KvmRun.IO_OUT);
            page.set(JAVA_BYTE, 33, (byte) 2);
            page.set(JAVA_SHORT, 34, (short) 0xCFC);
            page.set(JAVA_INT, 36, 3);
            page.set(JAVA_LONG, 40, 0x1234);
            var run = new KvmRun(page);
            run.setImmediateExit(true);
            assertEquals(1, page.get(JAVA_BYTE, 1));
            assertEquals(KvmRun.EXIT_IO, run.exitReason());
            assertEquals(KvmRun.IO_OUT, run.ioDirection());
            assertEquals(2, run.ioSize());
            assertEquals(0xCFC, run.ioPort());
            assertEquals(3, run.ioCount());
            assertEquals(0x1234, run.ioDataOffset());

            page.set(JAVA_LONG, 40, KvmRun.EMULATION_FLAG_INSTRUCTION_BYTES);
            page.set(JAVA_BYTE, 48, (byte) 2);
            page.set(JAVA_BYTE, 49, (byte) 0x0F);
            page.set(JAVA_BYTE, 50, (byte) 0x0B);
            assertEquals(KvmRun.EMULATION_FLAG_INSTRUCTION_BYTES, run.emulationFlags());
            assertArrayEquals(new byte[] {0x0F, 0x0B}, run.emulationInstructionBytes());
        }
    }

    @Test
    void segmentWritesTheBytesTheKernelReads() {
        byte[] sregs = new byte[(int) KvmStructs.SREGS_SIZE];
        var s = MemorySegment.ofArray(sregs);
        new KvmStructs.Segment(0x1000, 0xFFFFF, 0x10, 0xB, true, 3, false, true, true, true)
                .writeTo(s, KvmStructs.Seg.TR);
        byte[] tr = new byte[24];
        System.arraycopy(sregs, 144, tr, 0, 24);
        assertArrayEquals(new byte[] {0, 0x10, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0x0F, 0, 0x10, 0,
                0xB, 1, 3, 0, 1, 1, 1, 0, 0, 0}, tr);
        assertEquals(0x10, KvmStructs.segmentSelector(s, KvmStructs.Seg.TR));
        KvmStructs.setDtable(s, KvmStructs.SREGS_IDT, 0xABCDL, 0xFFF);
        assertEquals(0xABCDL, s.get(JAVA_LONG.withByteAlignment(1), 208));
        assertEquals((short) 0xFFF, s.get(JAVA_SHORT.withByteAlignment(1), 216));
    }

    @Test
    void fieldHandlesWriteAtTheKernelsOffsets() {
        try (var arena = Arena.ofConfined()) {
            var r = arena.allocate(KvmVmStructs.USERSPACE_MEMORY_REGION);
            KvmVmStructs.MEMORY_REGION_SLOT.set(r, 2);
            KvmVmStructs.MEMORY_REGION_FLAGS.set(r, 1);
            KvmVmStructs.MEMORY_REGION_GUEST_PHYS_ADDR.set(r, 0x100000L);
            KvmVmStructs.MEMORY_REGION_SIZE.set(r, 0x200000L);
            KvmVmStructs.MEMORY_REGION_USERSPACE_ADDR.set(r, 0x7f0000000000L);
            assertEquals(2, r.get(JAVA_INT, 0));
            assertEquals(1, r.get(JAVA_INT, 4));
            assertEquals(0x100000L, r.get(JAVA_LONG, 8));
            assertEquals(0x200000L, r.get(JAVA_LONG, 16));
            assertEquals(0x7f0000000000L, r.get(JAVA_LONG, 24));

            var fpu = arena.allocate(KvmCpuStructs.FPU);
            KvmCpuStructs.FPU_FCW.set(fpu, (short) 0x37f);
            KvmCpuStructs.FPU_MXCSR.set(fpu, 0x1f80);
            assertEquals((short) 0x37f, fpu.get(JAVA_SHORT, 128));
            assertEquals(0x1f80, fpu.get(JAVA_INT, 408));

            var msrs = arena.allocate(KvmCpuStructs.msrsSize(2), 8);
            KvmCpuStructs.MSRS_NMSRS.set(msrs, 2);
            KvmCpuStructs.MSRS_INDEX.set(msrs, 1L, 0xC0000080);
            KvmCpuStructs.MSRS_DATA.set(msrs, 1L, 0x500L);
            assertEquals(2, msrs.get(JAVA_INT, 0));
            assertEquals(0xC0000080, msrs.get(JAVA_INT, 8 + 16));
            assertEquals(0x500L, msrs.get(JAVA_LONG, 8 + 16 + 8));

            var cpuid = arena.allocate(KvmCpuStructs.cpuid2Size(2), 8);
            KvmCpuStructs.CPUID_FUNCTION.set(cpuid, 1L, 0xB);
            KvmCpuStructs.CPUID_EDX.set(cpuid, 1L, 7);
            assertEquals(0xB, cpuid.get(JAVA_INT, 8 + 40));
            assertEquals(7, cpuid.get(JAVA_INT, 8 + 40 + 24));

            var mask = arena.allocate(KvmCpuStructs.SIGNAL_MASK.byteSize() + KvmCpuStructs.KERNEL_SIGSET_SIZE, 4);
            KvmCpuStructs.SIGNAL_MASK_LEN.set(mask, 8);
            KvmCpuStructs.SIGNAL_MASK_WORD.set(mask, 1L, 0x40);
            assertEquals(8, mask.get(JAVA_INT, 0));
            assertEquals(0x40, mask.get(JAVA_INT, 8));

            var list = arena.allocate(KvmCpuStructs.msrListSize(3), 8);
            list.set(JAVA_INT, 4 + 8, 0x174);
            assertEquals(0x174, (int) KvmCpuStructs.MSR_LIST_INDEX.get(list, 2L));
        }
    }
}
