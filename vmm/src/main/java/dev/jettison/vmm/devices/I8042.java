package dev.jettison.vmm.devices;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just enough of the 8042 keyboard controller for a guest to reboot through it: no keyboard,
 * no mouse. Status reads 0, so the output buffer is never full (a probing guest concludes there
 * is no controller worth using) and the input buffer is never busy (a rebooting guest does not
 * wait). Pulsing the reset line (command 0xFE) ends the VM.
 */
public final class I8042 {
    private static final Logger LOG = LoggerFactory.getLogger(I8042.class);

    public static final int DATA_PORT = 0x60, COMMAND_PORT = 0x64;
    static final int CMD_PULSE_RESET = 0xFE;

    private final MachineControl machine;
    private final IoDevice data = new IoDevice() {
        @Override
        public int read(int offset, int size) { return 0; }

        @Override
        public void write(int offset, int size, int value) { }
    };
    private final IoDevice command = new IoDevice() {
        @Override
        public int read(int offset, int size) { return 0; }

        @Override
        public void write(int offset, int size, int value) {
            if ((value & 0xFF) == CMD_PULSE_RESET) {
                LOG.info("guest pulsed the reset line through the i8042");
                machine.reset("i8042 reset");
            }
        }
    };

    public I8042(MachineControl machine) { this.machine = machine; }

    /** The device to map at {@link #DATA_PORT}. */
    public IoDevice dataPort() { return data; }

    /** The device to map at {@link #COMMAND_PORT}. */
    public IoDevice commandPort() { return command; }

    public void register(IoBus bus) {
        bus.register(DATA_PORT, 1, data, "i8042 data");
        bus.register(COMMAND_PORT, 1, command, "i8042 command/status");
    }
}
