package dev.jettison.vmm.snapshot;

import dev.jettison.sys.Errno;
import dev.jettison.sys.SysException;
import dev.jettison.sys.kvm.KvmIoctl;
import dev.jettison.sys.kvm.KvmStructs;
import dev.jettison.vmm.boot.BootMsrs;
import dev.jettison.vmm.kvm.KvmVcpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * Everything KVM needs to resume one vCPU elsewhere, as the raw kernel structs. Captured in
 * Firecracker's order (MP state first, events last) and restored in the order KVM requires:
 * MP state, registers, special registers, XSAVE, XCRs, debug registers, LAPIC (after SREGS,
 * before MSRs, because the APIC base MSR lives in SREGS), MSRs, events.
 */
public record VcpuState(int id, byte[] mpState, byte[] regs, byte[] sregs, byte[] xsave, byte[] xcrs,
                        byte[] debugRegs, byte[] lapic, int[] msrIndices, long[] msrValues, byte[] events, int tscKhz) {
    private static final Logger LOG = LoggerFactory.getLogger(VcpuState.class);

    public VcpuState {
        if (msrIndices.length != msrValues.length) throw new IllegalArgumentException("MSR index/value count mismatch");
    }

    public static VcpuState capture(KvmVcpu vcpu, int[] msrIndices) {
        byte[] mp = vcpu.get(KvmIoctl.GET_MP_STATE, KvmStructs.MP_STATE_SIZE, "KVM_GET_MP_STATE");
        byte[] regs = vcpu.regs();
        byte[] sregs = vcpu.sregs();
        byte[] xsave = vcpu.get(KvmIoctl.GET_XSAVE, KvmStructs.XSAVE_SIZE, "KVM_GET_XSAVE");
        byte[] xcrs = vcpu.get(KvmIoctl.GET_XCRS, KvmStructs.XCRS_SIZE, "KVM_GET_XCRS");
        byte[] dbg = vcpu.get(KvmIoctl.GET_DEBUGREGS, KvmStructs.DEBUGREGS_SIZE, "KVM_GET_DEBUGREGS");
        byte[] lapic = vcpu.get(KvmIoctl.GET_LAPIC, KvmStructs.LAPIC_SIZE, "KVM_GET_LAPIC");
        long[] values = vcpu.msrs(msrIndices);
        byte[] events = vcpu.get(KvmIoctl.GET_VCPU_EVENTS, KvmStructs.VCPU_EVENTS_SIZE, "KVM_GET_VCPU_EVENTS");
        return new VcpuState(vcpu.id(), mp, regs, sregs, xsave, xcrs, dbg, lapic, msrIndices.clone(), values, events,
                vcpu.tscKhz());
    }

    public void restore(KvmVcpu vcpu) {
        keepTscRate(vcpu);
        vcpu.set(KvmIoctl.SET_MP_STATE, mpState, "KVM_SET_MP_STATE");
        vcpu.setRegs(regs);
        vcpu.setSregs(sregs);
        vcpu.set(KvmIoctl.SET_XSAVE, xsave, "KVM_SET_XSAVE");
        vcpu.set(KvmIoctl.SET_XCRS, xcrs, "KVM_SET_XCRS");
        vcpu.set(KvmIoctl.SET_DEBUGREGS, debugRegs, "KVM_SET_DEBUGREGS");
        vcpu.set(KvmIoctl.SET_LAPIC, lapic, "KVM_SET_LAPIC");
        vcpu.setMsrs(msrIndices, msrValues);
        vcpu.set(KvmIoctl.SET_VCPU_EVENTS, events, "KVM_SET_VCPU_EVENTS");
    }

    /**
     * Runs the TSC at the rate the guest measured at boot, before the TSC MSR is written: the
     * guest's TSC-deadline timers and its idea of the TSC rate come from its first host, and a
     * consolidation server's TSC may tick at another rate. Where the host cannot scale its TSC
     * (no TSC scaling in the CPU, or KVM_CAP_TSC_CONTROL missing) the guest still keeps time with
     * kvm-clock, and only its timer deadlines stretch by the ratio of the rates: we warn, as QEMU
     * does for a guest without invariant TSC, and go on.
     */
    private void keepTscRate(KvmVcpu vcpu) {
        int here = vcpu.tscKhz();
        if (tscKhz == 0 || here == 0 || here == tscKhz) return;
        try {
            vcpu.setTscKhz(tscKhz);
        } catch (SysException e) {
            LOG.warn("vCPU {}: the guest's TSC ran at {} kHz, this host's runs at {} kHz and cannot be scaled ({}); "
                    + "its timers will fire {}x as late", id, tscKhz, here, e.getMessage(),
                    String.format("%.3f", (double) tscKhz / here));
        }
    }

    /**
     * The MSRs of {@code candidates} (KVM's list) and of {@link BootMsrs#CAPTURED} this vCPU lets
     * us read: KVM_GET_MSRS stops at the first unreadable index, so we drop it and retry.
     */
    public static int[] readableMsrs(KvmVcpu vcpu, int[] candidates) {
        var all = new LinkedHashSet<Integer>();
        for (int m : candidates) all.add(m);
        all.addAll(BootMsrs.CAPTURED); // KVM's own first, in its order (the TSC before the TSC deadline)
        int[] list = all.stream().mapToInt(Integer::intValue).toArray();
        while (list.length > 0) {
            try {
                vcpu.msrs(list);
                return list;
            } catch (IllegalStateException e) {
                int bad = firstUnreadable(vcpu, list);
                int[] next = new int[list.length - 1];
                System.arraycopy(list, 0, next, 0, bad);
                System.arraycopy(list, bad + 1, next, bad, list.length - bad - 1);
                list = next;
            } catch (SysException e) {
                if (e.errno() != Errno.EINVAL) throw e;
                return new int[0];
            }
        }
        return list;
    }

    private static int firstUnreadable(KvmVcpu vcpu, int[] list) {
        for (int i = 0; i < list.length; i++) {
            try {
                vcpu.msrs(new int[] {list[i]});
            } catch (IllegalStateException e) {
                return i;
            }
        }
        return list.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VcpuState v && id == v.id && Arrays.equals(mpState, v.mpState) && Arrays.equals(regs, v.regs)
                && Arrays.equals(sregs, v.sregs) && Arrays.equals(xsave, v.xsave) && Arrays.equals(xcrs, v.xcrs)
                && Arrays.equals(debugRegs, v.debugRegs) && Arrays.equals(lapic, v.lapic)
                && Arrays.equals(msrIndices, v.msrIndices) && Arrays.equals(msrValues, v.msrValues)
                && Arrays.equals(events, v.events) && tscKhz == v.tscKhz;
    }

    @Override
    public int hashCode() { return id * 31 + Arrays.hashCode(regs); }
}
