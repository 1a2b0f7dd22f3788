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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.in;
import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the NIC does for migration: hold and discard frames, learn the guest's address, carry it, announce the VM. */
class VirtioNetMigrationTest {
    static final long RX_RING = 0x10000, TX_RING = 0x14000, BUFS = 0x40000;
    static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static final int GUEST_IP = 0x0A00020F; // 10.0.2.15

    final GuestMemory memory = TestMachine.memory(1 << 20);
    final TestMachine machine = new TestMachine();
    final IoBus io = new IoBus();
    final InMemoryNetBackend net = new InMemoryNetBackend();
    final VirtioNet nic = new VirtioNet(net, MAC);
    final DeviceSet devices = DeviceSet.create(io, memory, machine::line, machine, ConsoleSink.discard(), List.of(nic));
    final LegacyVirtioDriver driver = new LegacyVirtioDriver(io, memory, DeviceSet.VIRTIO_IO_BASE);

    @AfterEach
    void close() { devices.close(); }

    @Test
    void heldFramesTouchNoGuestMemoryAndArriveInOrderOnRelease() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        for (int i = 0; i < 4; i++) rings[0].submit(out(BUFS + 0x1000L * i, 2048));
        driver.notify(VirtioNet.RX_QUEUE);
        nic.hold();
        net.inject(numbered(1));
        net.inject(numbered(2));
        assertEquals(0, rings[0].usedIdx(), "nothing written while held");
        assertEquals(0, devices.virtio().get(0).snapshot().queues().get(0).usedIdx(), "queue state unchanged for the capture");
        nic.release();
        assertEquals(2, rings[0].usedIdx());
        assertEquals(1, memory.read(BUFS + 10, 1)[0]);
        assertEquals(2, memory.read(BUFS + 0x1000 + 10, 1)[0]);
    }

    @Test
    void whileTheVmRunsElsewhereFramesAreDroppedAndCounted() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        rings[0].submit(out(BUFS, 2048));
        driver.notify(VirtioNet.RX_QUEUE);
        nic.hold();
        net.inject(numbered(1));
        nic.discard();
        net.inject(numbered(2));
        assertEquals(0, net.waitingCount());
        assertEquals(2, nic.discardedFrames());
        assertEquals(0, rings[0].usedIdx(), "guest memory untouched");
    }

    @Test
    void learnsTheGuestAddressFromItsOwnFramesAndCarriesItWithTheMac() {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        byte[] other = {0x52, 0x54, 0, 9, 9, 9};
        transmit(rings[1], ipv4From(other, 0x0A000263), 0); // a frame not from our MAC teaches nothing
        assertEquals(0, nic.guestIp());
        transmit(rings[1], ipv4From(MAC, GUEST_IP), 0x100);
        assertEquals(GUEST_IP, nic.guestIp());

        byte[] state = nic.saveState();
        var twin = new VirtioNet(new InMemoryNetBackend(), MAC);
        twin.restoreState(state);
        assertEquals(GUEST_IP, twin.guestIp());
        var stranger = new VirtioNet(new InMemoryNetBackend(), new byte[] {0x52, 0x54, 0, 0, 0, 1});
        var e = assertThrows(IllegalArgumentException.class, () -> stranger.restoreState(state));
        assertTrue(e.getMessage().contains("52:54:00:12:34:56"), e.getMessage());
    }

    @Test
    void announcesWithRarpAndGratuitousArpFiveTimesWithGrowingGaps() throws Exception {
        Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
        transmit(rings[1], ipv4From(MAC, GUEST_IP), 0);
        net.sent().clear();
        long t0 = System.nanoTime();
        nic.announce();
        var frames = new ArrayList<byte[]>();
        var times = new ArrayList<Long>();
        for (int i = 0; i < 10; i++) {
            byte[] f = net.sent().poll(5, TimeUnit.SECONDS);
            assertTrue(f != null, "frame " + i + " of the announcement");
            frames.add(f);
            times.add((System.nanoTime() - t0) / 1_000_000);
        }
        assertNull(net.sent().poll(800, TimeUnit.MILLISECONDS), "five rounds, then silence");
        assertArrayEquals(Announcement.rarp(MAC), frames.get(0));
        assertArrayEquals(Announcement.garp(MAC, GUEST_IP), frames.get(1));
        byte[] rarp = Arrays.copyOfRange(frames.get(0), 10, frames.get(0).length);
        assertEquals(60, rarp.length);
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1}, Arrays.copyOf(rarp, 6), "broadcast");
        assertArrayEquals(MAC, Arrays.copyOfRange(rarp, 6, 12), "from the VM's MAC");
        assertEquals(0x8035, ByteBuffer.wrap(rarp, 12, 2).getShort() & 0xFFFF);
        byte[] garp = Arrays.copyOfRange(frames.get(1), 10, frames.get(1).length);
        assertEquals(GUEST_IP, ByteBuffer.wrap(garp, 28, 4).getInt(), "sender address");
        assertEquals(GUEST_IP, ByteBuffer.wrap(garp, 38, 4).getInt(), "target address: gratuitous");
        assertTrue(times.get(8) - times.get(0) >= 700, "rounds spread over 50+150+250+350 ms: " + times);
        assertEquals(10, nic.announcementsSent());
    }

    @Test
    void pausingTheVmAgainEndsTheAnnouncement() throws Exception {
        nic.announce();
        assertTrue(net.sent().poll(5, TimeUnit.SECONDS) != null);
        nic.hold();
        Thread.sleep(900);
        assertTrue(nic.announcementsSent() <= 2, "stopped after the first round: " + nic.announcementsSent());
    }

    private byte[] numbered(int n) {
        byte[] f = new byte[10 + 60];
        f[10] = (byte) n;
        return f;
    }

    private void transmit(Ring tx, byte[] frame, long at) {
        memory.write(BUFS + 0x8000 + at, frame);
        tx.submit(in(BUFS + 0x8000 + at, frame.length));
        driver.notify(VirtioNet.TX_QUEUE);
    }

    /** vnet header + an Ethernet/IPv4 header from {@code mac} and {@code ip}. */
    private static byte[] ipv4From(byte[] mac, int ip) {
        var b = ByteBuffer.allocate(10 + 14 + 20);
        b.position(10);
        b.put(new byte[] {0x52, 0x54, 0, 7, 7, 7}).put(mac).putShort((short) 0x0800);
        b.put((byte) 0x45).put(new byte[11]).putInt(ip).putInt(0x0A000202);
        return b.array();
    }
}
