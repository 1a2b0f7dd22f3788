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

    @Test
    void twoVcpusAreTwoCoresOfOnePackageNotTheHostsThreads() {
        // An Intel host with 2 threads per core and 8 cores, an AMD host's extended leaves: as KVM passes them on.
        var host = new Cpuid(List.of(
                new Cpuid.Entry(4, 0, 1, 0x1c004121, 0, 0, 0), new Cpuid.Entry(4, 3, 1, 0x1c03c163, 0, 0, 0),
                new Cpuid.Entry(0xB, 0, 1, 1, 2, 0x100, 5), new Cpuid.Entry(0xB, 1, 1, 4, 16, 0x201, 5),
                new Cpuid.Entry(0x80000001, 0, 0, 0, 0, 0x75, 0), new Cpuid.Entry(0x80000008, 0, 0, 0x3028, 0, 0x400f, 0),
                new Cpuid.Entry(0x8000001E, 0, 0, 9, 0x105, 0x300, 0)));
        var v1 = host.forVcpu(1, 2);
        assertEquals(0x04000121, v1.find(4, 0).eax(), "L1: one core per cache, one package of 2 cores");
        assertEquals(0x04004163, v1.find(4, 3).eax(), "L3: shared by both cores");
        assertEquals(new Cpuid.Entry(0xB, 0, 1, 0, 1, 0x100, 1), v1.find(0xB, 0), "one thread per core");
        assertEquals(new Cpuid.Entry(0xB, 1, 1, 1, 2, 0x201, 1), v1.find(0xB, 1), "two cores, one APIC ID bit for them");
        assertEquals(0x77, v1.find(0x80000001, 0).ecx(), "CmpLegacy: leaf 1's count is of cores");
        assertEquals(0x1001, v1.find(0x80000008, 0).ecx(), "2 cores (NC = 1), one APIC ID bit");
        assertEquals(new Cpuid.Entry(0x8000001E, 0, 0, 1, 1, 0, 0), v1.find(0x8000001E, 0));
        assertEquals(0x75, host.forVcpu(0, 1).find(0x80000001, 0).ecx(), "one vCPU: no CmpLegacy");
    }

    @Test
    void theBrandStringIsTheHostsCpuName() {
        var empty = new Cpuid(List.of(new Cpuid.Entry(0x80000002, 0, 0, 0, 0, 0, 0),
                new Cpuid.Entry(0x80000003, 0, 0, 0, 0, 0, 0), new Cpuid.Entry(0x80000004, 0, 0, 0, 0, 0, 0)));
        var c = GuestCpuid.withBrandString(empty, "AMD EPYC 7B13 64-Core Processor");
        var text = new StringBuilder();
        for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
            var e = c.find(leaf, 0);
            for (int w : new int[] {e.eax(), e.ebx(), e.ecx(), e.edx()}) {
                for (int k = 0; k < 4; k++) text.append((char) ((w >>> (8 * k)) & 0xFF));
            }
        }
        assertEquals("AMD EPYC 7B13 64-Core Processor", text.toString().replace("\0", ""));
        var tooLong = GuestCpuid.withBrandString(empty, "x".repeat(60)).find(0x80000004, 0);
        assertEquals(0, tooLong.edx() >>> 24, "the 48th byte stays NUL");
    }
}
