package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Ring;
import dev.jettison.vmm.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.in;
import static dev.jettison.vmm.devices.virtio.VirtioPciDevice.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport on its own, with a net device and an in-memory backend. */
class VirtioPciDeviceTest {
    static final int BASE = 0xC000;
    final GuestMemory memory = TestMachine.memory(1 << 20);
    final TestMachine.RecordingLine line = new TestMachine.RecordingLine();
    final InMemoryNetBackend net = new InMemoryNetBackend();
    final VirtioPciDevice dev = new VirtioPciDevice("net", new VirtioNet(net, new byte[] {2, 0, 0, 0, 0, 1}), memory,
            BASE, 11, line);
    final IoBus io = new IoBus();
    final LegacyVirtioDriver driver;

    VirtioPciDeviceTest() {
        io.register(BASE, BAR_SIZE, dev, "net");
        driver = new LegacyVirtioDriver(io, memory, BASE);
    }

    void transmitOne(Ring tx) {
        memory.write(0x40000, new byte[60]);
        tx.submit(in(0x40000, 60));
        driver.notify(1);
    }

    @Test
    void isrReadClearsItAndLowersTheLine() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, 0x10000, 0x14000);
        transmitOne(rings[1]);
        transmitOne(rings[1]);
        assertTrue(line.high());
        assertEquals(1, line.rises(), "ISR already set: no second edge needed, the level stays high");
        assertEquals(ISR_QUEUE, driver.readIsr());
        assertFalse(line.high());
        assertEquals(0, driver.readIsr());
        assertFalse(line.high());
    }

    @Test
    void statusZeroResetsQueuesFeaturesAndInterrupt() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, 0x10000, 0x14000);
        transmitOne(rings[1]);
        assertTrue(line.high());
        driver.writeStatus(0);
        assertFalse(line.high());
        assertEquals(0, driver.status());
        assertEquals(0, io.read(BASE + GUEST_FEATURES, 4));
        io.write(BASE + QUEUE_SEL, 2, 1);
        assertEquals(0, io.read(BASE + QUEUE_PFN, 4), "queue forgotten");
        io.write(BASE + QUEUE_SEL, 2, 7);
        assertEquals(0, io.read(BASE + QUEUE_NUM, 2), "no queue 7");
    }

    @Test
    void unofferedFeaturesAreNotAccepted() {
        io.write(BASE + GUEST_FEATURES, 4, 0xFFFF_FFFF);
        assertEquals(VirtioNet.F_MAC, io.read(BASE + GUEST_FEATURES, 4));
    }

    @Test
    void snapshotRoundTripsIntoAFreshTransport() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, 0x10000, 0x14000);
        transmitOne(rings[1]);
        io.write(BASE + QUEUE_SEL, 2, 1);
        var state = dev.snapshot();
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK, state.status());
        assertEquals(VirtioNet.F_MAC, state.guestFeatures());
        assertEquals(ISR_QUEUE, state.isr());
        assertEquals(0x10, state.queues().get(0).pfn());
        assertEquals(0x14, state.queues().get(1).pfn());
        assertEquals(1, state.queues().get(1).lastAvailIdx());

        var line2 = new TestMachine.RecordingLine();
        var copy = new VirtioPciDevice("net", new VirtioNet(new InMemoryNetBackend(), new byte[] {2, 0, 0, 0, 0, 1}),
                memory, BASE, 11, line2);
        copy.restore(state);
        assertEquals(state, copy.snapshot());
        assertTrue(line2.high());
    }
}
