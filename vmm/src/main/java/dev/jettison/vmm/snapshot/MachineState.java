package dev.jettison.vmm.snapshot;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.kvm.Cpuid;

import java.util.List;

/**
 * The VM descriptor of the paper (§3.1): all that moves at consolidation besides memory and
 * disk, which are fetched on demand. Memory size and device configuration let the other side
 * build an identical machine; the CPUID the guest saw travels along so it keeps seeing it.
 */
public record MachineState(long memBytes, int cpus, long diskSectors, byte[] mac, Cpuid cpuid,
                           List<VcpuState> vcpus, PlatformState platform, DeviceSet.State devices) {
    public MachineState {
        vcpus = List.copyOf(vcpus);
        if (vcpus.size() != cpus) throw new IllegalArgumentException(vcpus.size() + " vCPU states for " + cpus + " vCPUs");
        mac = mac == null ? null : mac.clone();
    }

    @Override
    public byte[] mac() { return mac == null ? null : mac.clone(); }

    public boolean hasDisk() { return diskSectors >= 0; }

    public boolean hasNet() { return mac != null; }
}
