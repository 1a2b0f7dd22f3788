package dev.jettison.vmm.boot;

import dev.jettison.sys.kvm.KvmStructs;
import dev.jettison.sys.kvm.KvmStructs.Reg;
import dev.jettison.sys.kvm.KvmStructs.Seg;
import dev.jettison.sys.kvm.KvmStructs.Segment;
import dev.jettison.vmm.kvm.KvmVcpu;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The BSP's register state at the 64-bit entry (boot.rst, "64-bit Boot Protocol"). */
public final class BootCpuState {
    static final long CR0_PE = 1, CR0_MP = 1 << 1, CR0_ET = 1 << 4, CR0_NE = 1 << 5, CR0_WP = 1 << 16,
            CR0_PG = 1L << 31;
    static final long CR4_PAE = 1 << 5;
    static final long EFER_LME = 1 << 8, EFER_LMA = 1 << 10;

    private BootCpuState() {}

    public static void apply(KvmVcpu vcpu) {
        byte[] sregsBytes = vcpu.sregs(); // start from KVM's reset state: keeps a valid TR and LDT
        var s = MemorySegment.ofArray(sregsBytes);
        var code = new Segment(0, 0xFFFFFFFF, BootLayout.BOOT_CS, 0xB, true, 0, false, true, true, true);
        var data = new Segment(0, 0xFFFFFFFF, BootLayout.BOOT_DS, 0x3, true, 0, true, true, false, true);
        code.writeTo(s, Seg.CS);
        for (Seg seg : new Seg[] {Seg.DS, Seg.ES, Seg.FS, Seg.GS, Seg.SS}) data.writeTo(s, seg);
        new Segment(0, 0x67, BootLayout.BOOT_TSS, 0xB, true, 0, false, false, false, false).writeTo(s, Seg.TR);
        KvmStructs.setDtable(s, KvmStructs.SREGS_GDT, BootLayout.GDT, 6 * 8 - 1);
        KvmStructs.setDtable(s, KvmStructs.SREGS_IDT, 0, 0);
        var l = JAVA_LONG.withByteAlignment(1);
        s.set(l, KvmStructs.SREGS_CR0, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
        s.set(l, KvmStructs.SREGS_CR3, BootLayout.PML4);
        s.set(l, KvmStructs.SREGS_CR4, CR4_PAE);
        s.set(l, KvmStructs.SREGS_EFER, EFER_LME | EFER_LMA);
        vcpu.setSregs(sregsBytes);

        byte[] regs = new byte[(int) KvmStructs.REGS_SIZE];
        var r = MemorySegment.ofArray(regs);
        r.set(l, Reg.RIP.offset(), BootLayout.ENTRY_64);
        r.set(l, Reg.RSI.offset(), BootLayout.ZERO_PAGE);
        r.set(l, Reg.RSP.offset(), BootLayout.BOOT_STACK);
        r.set(l, Reg.RFLAGS.offset(), 0x2); // bit 1 is reserved-one; IF clear
        vcpu.setRegs(regs);
        vcpu.initFpu();
    }
}
