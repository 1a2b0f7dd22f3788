package dev.jettison.vmm.devices;

import dev.jettison.vmm.devices.serial.ConsoleSink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiscDevicesTest {
    private final TestMachine machine = new TestMachine();
    private final IoBus bus = new IoBus();

    MiscDevicesTest() {
        DeviceSet.create(bus, TestMachine.memory(1 << 20), machine::line, machine, ConsoleSink.discard(), List.of());
    }

    @Test
    void i8042ReadsIdleAndResetsOnPulseCommand() {
        assertEquals(0, bus.read(0x64, 1));
        assertEquals(0, bus.read(0x60, 1));
        bus.write(0x64, 1, 0xAA); // self-test: no controller answers, nothing happens
        assertTrue(machine.resets.isEmpty());
        bus.write(0x64, 1, 0xFE);
        assertEquals(List.of("i8042 reset"), machine.resets);
    }

    @Test
    void exitPortPowersOffWithQemuStatus() {
        bus.write(0xF4, 1, 0x10);
        bus.write(0xF4, 4, 0);
        bus.write(0xF4, 1, 0x1FF); // a byte write carries only its byte
        assertEquals(List.of(0x21, 1, 0x1FF), machine.powerOffs);
    }

    @Test
    void portsOutsideTheMachineReadAllOnes() {
        assertEquals(0xFF, bus.read(0x61, 1)); // in-kernel PIT port B, never reaches us in a real VM
        assertEquals(0xFFFF, bus.read(0x3000, 2));
    }
}
