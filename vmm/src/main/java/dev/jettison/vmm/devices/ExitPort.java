package dev.jettison.vmm.devices;

/**
 * The exit device at 0xF4, bit-compatible with QEMU's isa-debug-exit: writing v powers the
 * machine off with status (v &lt;&lt; 1) | 1. The status is always odd, so a guest can never
 * fake a clean exit of the VMM process; test harnesses agree on which odd value means success.
 */
public final class ExitPort implements IoDevice {
    public static final int PORT = 0xF4, PORT_COUNT = 4;

    private final MachineControl machine;

    public ExitPort(MachineControl machine) { this.machine = machine; }

    @Override
    public int read(int offset, int size) { return 0; }

    @Override
    public void write(int offset, int size, int value) {
        int v = size >= 4 ? value : value & ((1 << (8 * size)) - 1);
        machine.powerOff((v << 1) | 1);
    }
}
