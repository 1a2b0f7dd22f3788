package dev.jettison.vmm.kvm;

import dev.jettison.sys.kvm.KvmIoctl;

/**
 * The CPUID every guest of ours sees, the test guest and Debian's kernel alike: what this KVM
 * supports (KVM_GET_SUPPORTED_CPUID), plus what KVM emulates but leaves for the VMM to offer,
 * minus what would break when the VM moves to another host. The reference is QEMU's
 * {@code -accel kvm -cpu host} on the same host; docs/machine.md lists the comparison.
 */
public final class GuestCpuid {
    /** Leaf 1 (processor info and features). */
    static final int LEAF_FEATURES = 0x1;
    /**
     * Leaf 1 ECX bit 24, TSC-deadline timer. KVM's in-kernel LAPIC implements the timer and
     * MSR_IA32_TSC_DEADLINE (0x6e0), but KVM_GET_SUPPORTED_CPUID leaves the bit clear because only
     * the VMM knows whether the LAPIC is in-kernel (ours always is). Without it Linux calibrates
     * the LAPIC timer against the PIT, which fails in a slow or loaded host ("APIC timer disabled
     * due to verification failure") and leaves the guest on the PIT.
     */
    static final int ECX_TSC_DEADLINE = 24;
    /** Leaf 0x80000007 (advanced power management). */
    static final int LEAF_APM = 0x80000007;
    /**
     * Leaf 0x80000007 EDX bit 8, invariant TSC. Hidden, as QEMU hides it by default: our guests
     * move between a desktop and a consolidation server whose TSCs differ in rate and value, and a
     * guest told its TSC is invariant prefers it to kvm-clock as clocksource (kvm-clock lowers its
     * rating) and would then keep time at the wrong rate after a move. kvm-clock corrects for the
     * move; it stays the clocksource and gives the TSC frequency (so leaves 0x15/0x16/0x40000010
     * are not needed either).
     */
    static final int EDX_INVARIANT_TSC = 8;

    private GuestCpuid() {}

    /** The leaves for a new VM on {@code kvm}. */
    public static Cpuid of(Kvm kvm) {
        return normalise(kvm.supportedCpuid(), kvm.checkExtension(KvmIoctl.CAP_TSC_DEADLINE_TIMER) > 0);
    }

    /**
     * {@code supported} as a guest should see it. Everything else passes through unchanged, and
     * on purpose: x2APIC (leaf 1 ECX 21, which KVM reports because its in-kernel LAPIC emulates
     * it), ARAT (leaf 6, the LAPIC timer keeps running in idle: no PIT broadcast needed), and the
     * KVM leaves 0x40000000/0x40000001 with kvm-clock (CLOCKSOURCE, CLOCKSOURCE2, STABLE_BIT) and
     * the paravirtual features KVM handles entirely in the kernel (async page faults, steal time,
     * PV EOI, PV unhalt, PV TLB flush, PV IPIs, poll control): KVM reports only what it implements.
     */
    static Cpuid normalise(Cpuid supported, boolean tscDeadline) {
        var c = supported;
        if (tscDeadline) c = c.withBit(LEAF_FEATURES, Cpuid.Register.ECX, ECX_TSC_DEADLINE, true);
        return c.withBit(LEAF_APM, Cpuid.Register.EDX, EDX_INVARIANT_TSC, false);
    }
}
