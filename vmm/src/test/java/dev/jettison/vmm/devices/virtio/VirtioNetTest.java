package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Ring;
import dev.jettison.vmm.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.in;
import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirtioNetTest {
    static final long RX_RING = 0x10000, TX_RING = 0x14000, BUFS = 0x40000;
    static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static final int GSI = 10;

    final GuestMemory memory = TestMachine.memory(1 << 20);
    final TestMachine machine = new TestMachine();
    final IoBus io = new IoBus();
    final InMemoryNetBackend net = new InMemoryNetBackend();
    final DeviceSet devices = DeviceSet.create(io, memory, machine::line, machine, ConsoleSink.discard(),
            List.of(new VirtioNet(net, MAC)));
    final LegacyVirtioDriver driver = new LegacyVirtioDriver(io, memory, DeviceSet.VIRTIO_IO_BASE);

    @AfterEach
    void close() { devices.close(); }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed ^ i * 31);
        return f;
    }

    @Test
    void offersOnlyMacAndShowsItInConfig() {
        assertEquals(VirtioNet.F_MAC, driver.hostFeatures());
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) mac[i] = (byte) driver.config(i, 1);
        assertArrayEquals(MAC, mac);
    }

    @Test
    void transmittedChainReachesTheBackendByteExact() throws Exception {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        byte[] header = new byte[10];
        header[0] = 0; // no checksum offload, no GSO
        byte[] eth = frame(98, 7);
        memory.write(BUFS, header);
        memory.write(BUFS + 0x1000, eth);
        int head = rings[1].submit(in(BUFS, 10), in(BUFS + 0x1000, 98));
        driver.notify(VirtioNet.TX_QUEUE);
        byte[] sent = net.sent().poll();
        byte[] expected = new byte[108];
        System.arraycopy(eth, 0, expected, 10, 98);
        assertArrayEquals(expected, sent);
        assertNull(net.sent().poll(), "exactly one frame");
        assertEquals(1, rings[1].usedIdx());
        assertEquals(head, rings[1].usedId(0));
        assertEquals(0, rings[1].usedLen(0), "transmit writes nothing into guest buffers");
        assertTrue(machine.line(GSI).high());
    }

    @Test
    void receivedFrameLandsInAPostedBufferWithHeaderPlusFrameLength() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        int head = rings[0].submit(out(BUFS, 10), out(BUFS + 0x1000, 1518));
        driver.notify(VirtioNet.RX_QUEUE);
        byte[] f = new byte[10 + 120];
        System.arraycopy(frame(120, 3), 0, f, 10, 120);
        net.inject(f);
        assertEquals(1, rings[0].usedIdx());
        assertEquals(head, rings[0].usedId(0));
        assertEquals(130, rings[0].usedLen(0));
        assertArrayEquals(new byte[10], memory.read(BUFS, 10));
        assertArrayEquals(frame(120, 3), memory.read(BUFS + 0x1000, 120));
        assertEquals(VirtioPciDevice.ISR_QUEUE, driver.readIsr());
    }

    @Test
    void framesWaitForReceiveBuffersAndOversizedOnesAreDropped() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        byte[] first = frame(70, 1), second = frame(80, 2);
        net.inject(first);
        net.inject(second);
        assertEquals(2, net.waitingCount(), "no receive buffer yet");

        rings[0].submit(out(BUFS, 2048));
        driver.notify(VirtioNet.RX_QUEUE);
        assertEquals(1, net.waitingCount());
        assertArrayEquals(first, memory.read(BUFS, 70));

        net.inject(frame(3000, 9)); // larger than any buffer the guest posts
        rings[0].submit(out(BUFS + 0x1000, 2048));
        driver.notify(VirtioNet.RX_QUEUE);
        assertEquals(2, rings[0].usedIdx());
        assertEquals(80, rings[0].usedLen(1));
        assertArrayEquals(second, memory.read(BUFS + 0x1000, 80));
        assertEquals(1, net.waitingCount(), "the big frame waits for a buffer to be judged against");

        rings[0].submit(out(BUFS + 0x2000, 2048));
        net.inject(frame(60, 4));
        assertEquals(0, net.waitingCount(), "the big frame was dropped, not held forever");
        assertEquals(3, rings[0].usedIdx(), "the buffer it did not fit went to the next frame");
        assertEquals(60, rings[0].usedLen(2));
        assertArrayEquals(frame(60, 4), memory.read(BUFS + 0x2000, 60));
    }
}
