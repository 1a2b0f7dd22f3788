package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.memory.GuestMemory;

/** What a transport gives its device: the queues, the negotiated state and a way to interrupt. */
public interface VirtioContext {
    Virtqueue queue(int index);

    GuestMemory memory();

    /** Feature bits the driver accepted. */
    int guestFeatures();

    /** Whether the driver set DRIVER_OK. */
    boolean driverOk();

    /** Used entries were added to {@code queue}: interrupt the driver unless it asked not to be. */
    void signalUsed(int queue);
}
