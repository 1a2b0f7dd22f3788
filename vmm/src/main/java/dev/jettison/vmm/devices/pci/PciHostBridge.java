package dev.jettison.vmm.devices.pci;

/**
 * The host bridge at slot 0 (an i440FX's identity). Linux checks for a host bridge or an
 * Intel/Compaq function on bus 0 before it trusts configuration mechanism #1.
 */
public final class PciHostBridge extends PciDevice {
    public static final int VENDOR_INTEL = 0x8086, DEVICE_I440FX = 0x1237, CLASS_HOST_BRIDGE = 0x060000;

    public PciHostBridge() {
        super("host bridge", VENDOR_INTEL, DEVICE_I440FX, CLASS_HOST_BRIDGE, 0x02, 0, 0);
    }
}
