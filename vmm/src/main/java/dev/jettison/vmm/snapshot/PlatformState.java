package dev.jettison.vmm.snapshot;

import dev.jettison.sys.kvm.KvmIoctl;
import dev.jettison.sys.kvm.KvmStructs;
import dev.jettison.vmm.kvm.KvmVm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** The VM-wide in-kernel devices: both PICs, the IOAPIC, the PIT and kvmclock. */
public record PlatformState(byte[] picMaster, byte[] picSlave, byte[] ioapic, byte[] pit, byte[] clock) {
    static final int CHIP_PIC_MASTER = 0, CHIP_PIC_SLAVE = 1, CHIP_IOAPIC = 2;
    /** KVM_CLOCK_REALTIME: lets KVM advance the guest clock by the wall time spent in transit. */
    static final int CLOCK_REALTIME = 1 << 2;

    public static PlatformState capture(KvmVm vm) {
        return new PlatformState(
                vm.getState(KvmIoctl.GET_IRQCHIP, KvmStructs.IRQCHIP_SIZE, CHIP_PIC_MASTER, "KVM_GET_IRQCHIP pic master"),
                vm.getState(KvmIoctl.GET_IRQCHIP, KvmStructs.IRQCHIP_SIZE, CHIP_PIC_SLAVE, "KVM_GET_IRQCHIP pic slave"),
                vm.getState(KvmIoctl.GET_IRQCHIP, KvmStructs.IRQCHIP_SIZE, CHIP_IOAPIC, "KVM_GET_IRQCHIP ioapic"),
                vm.getState(KvmIoctl.GET_PIT2, KvmStructs.PIT_STATE2_SIZE, -1, "KVM_GET_PIT2"),
                vm.getState(KvmIoctl.GET_CLOCK, KvmStructs.CLOCK_DATA_SIZE, -1, "KVM_GET_CLOCK"));
    }

    public void restore(KvmVm vm) {
        vm.setState(KvmIoctl.SET_IRQCHIP, picMaster, "KVM_SET_IRQCHIP pic master");
        vm.setState(KvmIoctl.SET_IRQCHIP, picSlave, "KVM_SET_IRQCHIP pic slave");
        vm.setState(KvmIoctl.SET_IRQCHIP, ioapic, "KVM_SET_IRQCHIP ioapic");
        vm.setState(KvmIoctl.SET_PIT2, pit, "KVM_SET_PIT2");
        // KVM_SET_CLOCK accepts only KVM_CLOCK_REALTIME among the flags GET_CLOCK reports.
        byte[] c = clock.clone();
        var b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, b.getInt(8) & CLOCK_REALTIME);
        vm.setState(KvmIoctl.SET_CLOCK, c, "KVM_SET_CLOCK");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformState p && Arrays.equals(picMaster, p.picMaster) && Arrays.equals(picSlave, p.picSlave)
                && Arrays.equals(ioapic, p.ioapic) && Arrays.equals(pit, p.pit) && Arrays.equals(clock, p.clock);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(ioapic); }
}
