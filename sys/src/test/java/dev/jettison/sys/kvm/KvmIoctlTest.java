package dev.jettison.sys.kvm;

import dev.jettison.sys.Ioc;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The request numbers we derive from layouts, against the values the kernel's headers give:
 * printed by a C program that includes linux/kvm.h on x86_64 (linux-libc-dev), and by hand
 * from _IOC(dir, 0xAE, nr, sizeof(struct)) for the ones that header spells directly.
 */
class KvmIoctlTest {
    private static final Map<String, long[]> EXPECTED = new TreeMap<>();

    private static void expect(String name, long derived, long fromHeader) {
        EXPECTED.put(name, new long[] {derived, fromHeader});
    }

    static {
        expect("KVM_GET_API_VERSION", KvmIoctl.GET_API_VERSION, 0xAE00L);
        expect("KVM_CREATE_VM", KvmIoctl.CREATE_VM, 0xAE01L);
        expect("KVM_GET_MSR_INDEX_LIST", KvmIoctl.GET_MSR_INDEX_LIST, 0xC004AE02L);
        expect("KVM_CHECK_EXTENSION", KvmIoctl.CHECK_EXTENSION, 0xAE03L);
        expect("KVM_GET_VCPU_MMAP_SIZE", KvmIoctl.GET_VCPU_MMAP_SIZE, 0xAE04L);
        expect("KVM_GET_SUPPORTED_CPUID", KvmIoctl.GET_SUPPORTED_CPUID, 0xC008AE05L);
        expect("KVM_CREATE_VCPU", KvmIoctl.CREATE_VCPU, 0xAE41L);
        expect("KVM_GET_DIRTY_LOG", KvmIoctl.GET_DIRTY_LOG, 0x4010AE42L);
        expect("KVM_SET_USER_MEMORY_REGION", KvmIoctl.SET_USER_MEMORY_REGION, 0x4020AE46L);
        expect("KVM_SET_TSS_ADDR", KvmIoctl.SET_TSS_ADDR, 0xAE47L);
        expect("KVM_SET_IDENTITY_MAP_ADDR", KvmIoctl.SET_IDENTITY_MAP_ADDR, 0x4008AE48L);
        expect("KVM_CREATE_IRQCHIP", KvmIoctl.CREATE_IRQCHIP, 0xAE60L);
        expect("KVM_IRQ_LINE", KvmIoctl.IRQ_LINE, 0x4008AE61L);
        expect("KVM_GET_IRQCHIP", KvmIoctl.GET_IRQCHIP, 0xC208AE62L);
        expect("KVM_SET_IRQCHIP", KvmIoctl.SET_IRQCHIP, 0x8208AE63L);
        expect("KVM_CREATE_PIT2", KvmIoctl.CREATE_PIT2, 0x4040AE77L);
        expect("KVM_SET_CLOCK", KvmIoctl.SET_CLOCK, 0x4030AE7BL);
        expect("KVM_GET_CLOCK", KvmIoctl.GET_CLOCK, 0x8030AE7CL);
        expect("KVM_GET_PIT2", KvmIoctl.GET_PIT2, 0x8070AE9FL);
        expect("KVM_SET_PIT2", KvmIoctl.SET_PIT2, 0x4070AEA0L);
        expect("KVM_RUN", KvmIoctl.RUN, 0xAE80L);
        expect("KVM_GET_REGS", KvmIoctl.GET_REGS, 0x8090AE81L);
        expect("KVM_SET_REGS", KvmIoctl.SET_REGS, 0x4090AE82L);
        expect("KVM_GET_SREGS", KvmIoctl.GET_SREGS, 0x8138AE83L);
        expect("KVM_SET_SREGS", KvmIoctl.SET_SREGS, 0x4138AE84L);
        expect("KVM_GET_MSRS", KvmIoctl.GET_MSRS, 0xC008AE88L);
        expect("KVM_SET_MSRS", KvmIoctl.SET_MSRS, 0x4008AE89L);
        expect("KVM_SET_SIGNAL_MASK", KvmIoctl.SET_SIGNAL_MASK, 0x4004AE8BL);
        expect("KVM_GET_FPU", KvmIoctl.GET_FPU, 0x81A0AE8CL);
        expect("KVM_SET_FPU", KvmIoctl.SET_FPU, 0x41A0AE8DL);
        expect("KVM_GET_LAPIC", KvmIoctl.GET_LAPIC, 0x8400AE8EL);
        expect("KVM_SET_LAPIC", KvmIoctl.SET_LAPIC, 0x4400AE8FL);
        expect("KVM_SET_CPUID2", KvmIoctl.SET_CPUID2, 0x4008AE90L);
        expect("KVM_GET_CPUID2", KvmIoctl.GET_CPUID2, 0xC008AE91L);
        expect("KVM_GET_MP_STATE", KvmIoctl.GET_MP_STATE, 0x8004AE98L);
        expect("KVM_SET_MP_STATE", KvmIoctl.SET_MP_STATE, 0x4004AE99L);
        expect("KVM_GET_VCPU_EVENTS", KvmIoctl.GET_VCPU_EVENTS, 0x8040AE9FL);
        expect("KVM_SET_VCPU_EVENTS", KvmIoctl.SET_VCPU_EVENTS, 0x4040AEA0L);
        expect("KVM_GET_DEBUGREGS", KvmIoctl.GET_DEBUGREGS, 0x8080AEA1L);
        expect("KVM_SET_DEBUGREGS", KvmIoctl.SET_DEBUGREGS, 0x4080AEA2L);
        expect("KVM_SET_TSC_KHZ", KvmIoctl.SET_TSC_KHZ, 0xAEA2L);
        expect("KVM_GET_TSC_KHZ", KvmIoctl.GET_TSC_KHZ, 0xAEA3L);
        expect("KVM_GET_XSAVE", KvmIoctl.GET_XSAVE, 0x9000AEA4L);
        expect("KVM_SET_XSAVE", KvmIoctl.SET_XSAVE, 0x5000AEA5L);
        expect("KVM_GET_XCRS", KvmIoctl.GET_XCRS, 0x8188AEA6L);
        expect("KVM_SET_XCRS", KvmIoctl.SET_XCRS, 0x4188AEA7L);
        expect("KVM_KVMCLOCK_CTRL", KvmIoctl.KVMCLOCK_CTRL, 0xAEADL);
    }

    @Test
    void everyDerivedRequestNumberIsTheHeaders() {
        assertAll(EXPECTED.entrySet().stream().map(e -> () -> assertEquals(e.getValue()[1], e.getValue()[0],
                () -> e.getKey() + ": derived 0x" + Long.toHexString(e.getValue()[0])
                        + ", header 0x" + Long.toHexString(e.getValue()[1]))));
    }

    @Test
    void sizesThatDoNotFitTheSizeFieldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ioc.encode(Ioc.READ, KvmIoctl.KVMIO, 1, 1L << 14));
        assertThrows(IllegalArgumentException.class, () -> Ioc.encode(Ioc.READ, KvmIoctl.KVMIO, 0x100, 8));
        assertEquals((1L << 14) - 1, (Ioc.encode(Ioc.READ, KvmIoctl.KVMIO, 1, (1L << 14) - 1) >>> 16) & 0x3FFF);
    }
}
