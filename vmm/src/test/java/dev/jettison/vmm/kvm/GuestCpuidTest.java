package dev.jettison.vmm.kvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What our guests see of the leaves KVM supports, checked without KVM on made-up leaves. */
class GuestCpuidTest {
    private static final int KVM_FEATURES = 0x40000001;
    /** kvm-clock (0, 3), async PF (4), PV EOI (6), PV unhalt (7), stable bit (24), as KVM reports them. */
    private static final int KVM_FEATURE_BITS = 1 | 1 << 3 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 24;
    private static final int X2APIC = 1 << 21, HYPERVISOR = 1 << 31;

    private static Cpuid supported() {
        return new Cpuid(List.of(
                new Cpuid.Entry(1, 0, 0, 0x60fb1, 0x800, X2APIC | 1, 0x178bfbff),
                new Cpuid.Entry(6, 0, 0, 4, 0, 0, 0),
                new Cpuid.Entry(0x40000000, 0, 0, KVM_FEATURES, 0x4b4d564b, 0x564b4d56, 0x4d),
                new Cpuid.Entry(KVM_FEATURES, 0, 0, KVM_FEATURE_BITS, 0, 0, 0),
                new Cpuid.Entry(0x80000007, 0, 0, 0, 0, 0, 1 << 8 | 1 << 9)));
    }

    @Test
    void tscDeadlineIsOfferedWhenKvmEmulatesIt() {
        var c = GuestCpuid.normalise(supported(), true);
        assertEquals(X2APIC | 1 | 1 << 24, c.find(1, 0).ecx());
        assertEquals(X2APIC | 1, GuestCpuid.normalise(supported(), false).find(1, 0).ecx());
    }

    @Test
    void invariantTscIsHiddenAndTheRestOfTheLeafKept() {
        assertEquals(1 << 9, GuestCpuid.normalise(supported(), true).find(0x80000007, 0).edx());
    }

    @Test
    void kvmClockAndTheParavirtualLeavesPassThrough() {
        var c = GuestCpuid.normalise(supported(), true);
        assertEquals(supported().find(0x40000000, 0), c.find(0x40000000, 0));
        assertEquals(KVM_FEATURE_BITS, c.find(KVM_FEATURES, 0).eax());
        assertEquals(4, c.find(6, 0).eax(), "ARAT: the LAPIC timer runs on in idle");
    }

    @Test
    void eachVcpuSeesItsApicIdAndTheHypervisorBitOnTopOfTheSameLeaves() {
        var c = GuestCpuid.normalise(supported(), true).forVcpu(1, 2);
        assertEquals(1, c.find(1, 0).ebx() >>> 24);
        assertEquals(HYPERVISOR | X2APIC | 1 | 1 << 24, c.find(1, 0).ecx());
    }
}
