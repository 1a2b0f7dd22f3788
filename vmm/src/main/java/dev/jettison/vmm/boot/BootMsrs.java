package dev.jettison.vmm.boot;

import dev.jettison.vmm.kvm.Cpuid;
import dev.jettison.vmm.kvm.KvmVcpu;
import dev.jettison.vmm.memory.MemoryLayout;

import java.util.List;

/**
 * The MSRs firmware would have left set on every CPU before the kernel runs; we have no
 * firmware, and KVM's reset values differ from a PC's after its BIOS in two ways that Linux
 * notices (found by diffing MSRs with QEMU + SeaBIOS, docs/machine.md).
 */
public final class BootMsrs {
    static final int MSR_IA32_MISC_ENABLE = 0x1a0;
    /** Fast-string enable: without it Linux on Intel turns off ERMS ("Disabled fast string operations"). */
    static final long MISC_ENABLE_FAST_STRING = 1;
    static final int MSR_MTRR_PHYS_BASE0 = 0x200, MSR_MTRR_PHYS_MASK0 = 0x201, MSR_MTRR_DEF_TYPE = 0x2ff;
    /**
     * MTRRs on, default type write-back. KVM resets MTRRdefType to 0 (MTRRs off), and Linux 6.1
     * then skips PAT setup too ("x86/PAT: MTRRs disabled, skipping PAT initialization too"), which
     * leaves it without write-combining mappings.
     */
    static final long MTRR_DEF_TYPE_ENABLE = 1 << 11, MTRR_TYPE_UNCACHABLE = 0, MTRR_TYPE_WRITEBACK = 6;
    static final long MTRR_MASK_VALID = 1 << 11;
    /** Leaf 0x80000008 EAX[7:0]: physical address bits, which bound the MTRR mask. */
    static final int LEAF_ADDRESS_SIZES = 0x80000008;
    static final int DEFAULT_PHYS_BITS = 36;

    /** MSR_IA32_CR_PAT: the page attribute table the kernel programs once MTRRs are on. */
    static final int MSR_IA32_CR_PAT = 0x277;
    /**
     * What a descriptor must carry besides the MSRs KVM lists (KVM_GET_MSR_INDEX_LIST, which
     * leaves out the MTRRs and, on older kernels, PAT): what {@link #apply} sets and what the
     * kernel builds on it, so that a moved guest keeps its memory types.
     */
    public static final List<Integer> CAPTURED = List.of(MSR_IA32_MISC_ENABLE, MSR_MTRR_DEF_TYPE,
            MSR_MTRR_PHYS_BASE0, MSR_MTRR_PHYS_MASK0, MSR_IA32_CR_PAT);

    private BootMsrs() {}

    /** Sets the boot MSRs of {@code vcpu}, whose CPUID is {@code cpuid}. */
    public static void apply(KvmVcpu vcpu, Cpuid cpuid) {
        long miscEnable = vcpu.msrs(new int[] {MSR_IA32_MISC_ENABLE})[0];
        var sizes = cpuid.find(LEAF_ADDRESS_SIZES, 0);
        int physBits = sizes == null ? DEFAULT_PHYS_BITS : sizes.eax() & 0xFF;
        long physMask = (1L << physBits) - 1;
        // One variable range makes the 32-bit MMIO gap (3..4 GiB: IOAPIC, LAPIC, future BARs) uncached, as a BIOS does.
        long gapSize = MemoryLayout.MMIO_GAP_END - MemoryLayout.MMIO_GAP_START;
        vcpu.setMsrs(new int[] {MSR_IA32_MISC_ENABLE, MSR_MTRR_PHYS_BASE0, MSR_MTRR_PHYS_MASK0, MSR_MTRR_DEF_TYPE},
                new long[] {miscEnable | MISC_ENABLE_FAST_STRING,
                        MemoryLayout.MMIO_GAP_START | MTRR_TYPE_UNCACHABLE,
                        (~(gapSize - 1) & physMask) | MTRR_MASK_VALID,
                        MTRR_DEF_TYPE_ENABLE | MTRR_TYPE_WRITEBACK});
    }
}
