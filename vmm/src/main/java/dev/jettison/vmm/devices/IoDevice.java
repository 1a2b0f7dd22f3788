package dev.jettison.vmm.devices;

/**
 * A device on the I/O port bus. {@code offset} is relative to the device's base port;
 * {@code size} is 1, 2 or 4 bytes. Called from vCPU threads: implementations synchronize
 * their own state.
 */
public interface IoDevice {
    int read(int offset, int size);

    void write(int offset, int size, int value);
}
