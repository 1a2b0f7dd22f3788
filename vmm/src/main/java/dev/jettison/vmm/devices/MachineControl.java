package dev.jettison.vmm.devices;

/** What devices may ask of the machine as a whole. */
public interface MachineControl {
    /** The guest reset the machine (i8042 0xFE, triple fault): the VM ends. */
    void reset(String why);

    /** The guest powered off with an exit status (exit device on port 0xF4). */
    void powerOff(int status);
}
