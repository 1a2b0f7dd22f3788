package dev.jettison.vmm;

/** Why a VM stopped running. */
public sealed interface VmExit {
    /**
     * The guest wrote to the exit device; {@code status} is what QEMU's isa-debug-exit would make
     * the process return, (value << 1) | 1, so the same guest gives the same status under both.
     */
    record PowerOff(int status) implements VmExit {
        /** The value the guest wrote. */
        public int guestCode() { return status >>> 1; }

        /**
         * Every vCPU halted with interrupts disabled: a machine without a power-off device is off
         * then (Linux with acpi=off powers off that way). Reported as if the guest had written 0.
         */
        public static PowerOff halted() { return new PowerOff(1); }
    }

    /** The guest reset the machine (i8042, triple fault, system event): we end the VM. */
    record Reset(String why) implements VmExit {}

    /** KVM could not run the guest: emulation failure or internal error, with where it happened. */
    record Failed(String description) implements VmExit {}

    /** The host stopped the VM (a user, a test, a migration that moved it away). */
    record Stopped() implements VmExit {}

    default boolean clean() {
        return this instanceof PowerOff p ? p.status() == 1 : this instanceof Reset || this instanceof Stopped;
    }
}
