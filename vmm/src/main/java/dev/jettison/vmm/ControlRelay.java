package dev.jettison.vmm;

import dev.jettison.vmm.devices.MachineControl;

/** Lets devices built before the vCPUs reach them once they exist. */
final class ControlRelay implements MachineControl {
    volatile VcpuSet target;

    @Override
    public void reset(String why) { if (target != null) target.stop(new VmExit.Reset(why)); }

    @Override
    public void powerOff(int status) { if (target != null) target.stop(new VmExit.PowerOff(status)); }
}
