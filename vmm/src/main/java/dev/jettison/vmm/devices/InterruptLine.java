package dev.jettison.vmm.devices;

/** A wire from a device to an interrupt controller pin (a GSI of the in-kernel IOAPIC/PIC). */
@FunctionalInterface
public interface InterruptLine {
    void set(boolean high);

    /** An edge: raise then lower, for edge-triggered ISA interrupts. */
    default void pulse() {
        set(true);
        set(false);
    }
}
