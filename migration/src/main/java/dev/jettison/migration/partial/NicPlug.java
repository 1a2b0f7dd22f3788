package dev.jettison.migration.partial;

import dev.jettison.vmm.devices.virtio.BridgePort;
import dev.jettison.vmm.devices.virtio.NetBackend;

import java.io.IOException;

/**
 * Where a consolidation server plugs the network card of a VM it admits (paper §4: the server
 * shares the desktops' layer-2 segment, so the VM keeps its MAC and address). The backend belongs
 * to the VM from then on and goes with it.
 */
@FunctionalInterface
public interface NicPlug {
    /** A server that cannot give VMs a network: it refuses those that have a card. */
    NicPlug NONE = (vmId, mac) -> {
        throw new IOException("VM " + vmId + " has a network card and this server has no network for it"
                + " (start it with --bridge BR on the desktops' layer-2 segment)");
    };

    NetBackend plug(String vmId, byte[] mac) throws IOException;

    /** A tap of its own on {@code bridge} for each VM, removed with the VM. */
    static NicPlug bridge(String bridge) {
        return (vmId, mac) -> {
            try {
                return BridgePort.open(bridge);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }
}
