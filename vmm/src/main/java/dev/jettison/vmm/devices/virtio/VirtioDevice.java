package dev.jettison.vmm.devices.virtio;

/**
 * A virtio device model (block, net) independent of its transport. The transport
 * ({@link VirtioPciDevice}) owns the queues, feature negotiation, status and interrupts; the
 * device owns what the requests mean.
 */
public interface VirtioDevice extends AutoCloseable {
    int TYPE_NET = 1, TYPE_BLOCK = 2;

    /** Virtio device type (1 = net, 2 = block): the PCI subsystem id of a legacy device. */
    int deviceType();

    /** 24-bit PCI class code (class, subclass, prog-if). */
    int pciClassCode();

    /** Feature bits offered to the driver (legacy: only the low 32 bits exist). */
    int features();

    /** The device-specific configuration space as the driver should see it now. */
    byte[] config();

    /** A driver write into the device configuration; read-only by default. */
    default void writeConfig(int offset, byte[] data) {}

    int queueCount();

    /** Called once by the transport before the guest runs. */
    void attach(VirtioContext context);

    /** The driver kicked queue {@code queue}; runs on the vCPU thread that wrote the notify register. */
    void onNotify(int queue);

    /** The driver reset the device (status 0): drop any per-driver state. Queues are reset by the transport. */
    void reset();

    /** Device state the migration descriptor carries beyond the transport's; none by default. */
    default byte[] saveState() { return new byte[0]; }

    /** Takes what {@link #saveState} gave on the other side, into a device built the same way. */
    default void restoreState(byte[] state) {
        if (state.length != 0) throw new IllegalArgumentException("virtio device type " + deviceType() + " has no state, got "
                + state.length + " bytes");
    }

    /** Releases backends (files, tap, threads). */
    @Override
    default void close() {}
}
