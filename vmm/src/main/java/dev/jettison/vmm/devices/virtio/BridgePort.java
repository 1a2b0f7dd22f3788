package dev.jettison.vmm.devices.virtio;

import dev.jettison.sys.SysException;
import dev.jettison.sys.net.Interfaces;
import dev.jettison.sys.net.TapDevice;

/**
 * A tap of the VMM's own on a Linux bridge, for a VM that must sit on the same layer-2 segment
 * wherever it runs (paper §4, "Network Migration"): created with a free kernel-chosen name, made a
 * port of the bridge and brought up. The tap is not persistent, so it leaves the bridge and
 * disappears when the backend is closed, even if the process dies.
 */
public final class BridgePort {
    /** Taps we create are named jtap0, jtap1, ...: the kernel takes the first free number. */
    public static final String TAP_PATTERN = "jtap%d";

    private BridgePort() {}

    public static TapNetBackend open(String bridge) {
        if (bridge.isEmpty() || bridge.length() > 15) throw new IllegalArgumentException("bridge name must be 1..15 characters: '" + bridge + "'");
        try {
            Interfaces.index(bridge);
        } catch (SysException e) {
            throw new IllegalArgumentException("no bridge '" + bridge + "' in this network namespace (ip link add " + bridge
                    + " type bridge): " + e.getMessage(), e);
        }
        var tap = TapDevice.open(TAP_PATTERN);
        try {
            Interfaces.addToBridge(bridge, tap.name());
            Interfaces.up(tap.name());
            return new TapNetBackend(tap);
        } catch (RuntimeException e) {
            tap.close();
            throw new IllegalArgumentException("cannot put a tap on bridge '" + bridge + "' (is it a bridge? are we root?): "
                    + e.getMessage(), e);
        }
    }
}
