package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Ring;
import dev.jettison.vmm.devices.virtio.testing.MemoryBlockBackend;
import dev.jettison.vmm.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.in;
import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** virtio-blk end to end: rings built in guest RAM like a driver does, a raw image file behind. */
class VirtioBlockTest {
    static final int SECTORS = 2048;
    static final long RING = 0x10000, HEADER = 0x20000, STATUS = 0x20100, DATA = 0x30000;
    static final int GSI = 10;

    @TempDir
    Path dir;
    final GuestMemory memory = TestMachine.memory(1 << 20);
    final TestMachine machine = new TestMachine();
    final IoBus io = new IoBus();
    Path image;
    DeviceSet devices;
    LegacyVirtioDriver driver;
    Ring ring;

    void boot(boolean readOnly) throws Exception {
        image = dir.resolve("disk.img");
        byte[] initial = new byte[SECTORS * 512];
        for (int i = 0; i < initial.length; i++) initial[i] = (byte) (i * 7 + i / 512);
        Files.write(image, initial);
        devices = DeviceSet.create(io, memory, machine::line, machine, ConsoleSink.discard(),
                List.of(new VirtioBlock(new FileBlockBackend(image, readOnly), "jettison-disk-0")));
        driver = new LegacyVirtioDriver(io, memory, DeviceSet.VIRTIO_IO_BASE);
        ring = driver.start(driver.hostFeatures(), RING)[0];
    }

    @AfterEach
    void close() {
        if (devices != null) devices.close();
    }

    void header(int type, long sector) {
        memory.write(HEADER, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(0).putLong(sector).array());
        memory.writeByte(STATUS, (byte) 0xEE);
    }

    /** Submits a chain, kicks, and checks one used entry came back for it; returns its used length. */
    int request(LegacyVirtioDriver.Buf... bufs) {
        int before = ring.usedIdx();
        int head = ring.submit(bufs);
        driver.notify(0);
        assertEquals(before + 1, ring.usedIdx(), "one used entry");
        assertEquals(head, ring.usedId(before));
        return ring.usedLen(before);
    }

    int status() { return memory.readByte(STATUS) & 0xFF; }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (seed + i * 13);
        return b;
    }

    @Test
    void offersTheMachineFeaturesAndConfig() throws Exception {
        boot(false);
        assertEquals((1 << 9) | (1 << 2) | (1 << 6), driver.hostFeatures());
        assertEquals(SECTORS, driver.config(0, 4));
        assertEquals(0, driver.config(4, 4));
        assertEquals(126, io.read(DeviceSet.VIRTIO_IO_BASE + 0x20, 4), "seg_max at BAR 0x20");
        assertEquals(512, io.read(DeviceSet.VIRTIO_IO_BASE + 0x28, 4), "blk_size at BAR 0x28");
        assertEquals(256, io.read(DeviceSet.VIRTIO_IO_BASE + VirtioPciDevice.QUEUE_NUM, 2));
    }

    @Test
    void writeThenReadSeveralSectorsThroughChainedBuffers() throws Exception {
        boot(false);
        byte[] data = pattern(3 * 512, 5);
        memory.write(DATA, Arrays.copyOfRange(data, 0, 1024));
        memory.write(DATA + 0x2000, Arrays.copyOfRange(data, 1024, 1536));
        header(VirtioBlock.T_OUT, 5);
        assertEquals(1, request(in(HEADER, 16), in(DATA, 1024), in(DATA + 0x2000, 512), out(STATUS, 1)));
        assertEquals(0, status());

        byte[] file = Files.readAllBytes(image);
        assertArrayEquals(data, Arrays.copyOfRange(file, 5 * 512, 8 * 512), "sectors 5..7 written byte-exactly");
        assertEquals((byte) (4 * 512 * 7 + 4), file[4 * 512], "neighbour before untouched");
        assertEquals((byte) (8 * 512 * 7 + 8), file[8 * 512], "neighbour after untouched");

        // Read sectors 4..7 back into three buffers, one split mid-sector.
        header(VirtioBlock.T_IN, 4);
        long a = DATA + 0x10000, b = DATA + 0x20000, c = DATA + 0x30000;
        assertEquals(4 * 512 + 1, request(in(HEADER, 16), out(a, 512), out(b, 1000), out(c, 536), out(STATUS, 1)));
        assertEquals(0, status());
        byte[] got = new byte[2048];
        System.arraycopy(memory.read(a, 512), 0, got, 0, 512);
        System.arraycopy(memory.read(b, 1000), 0, got, 512, 1000);
        System.arraycopy(memory.read(c, 536), 0, got, 1512, 536);
        assertArrayEquals(Arrays.copyOfRange(file, 4 * 512, 8 * 512), got);
    }

    @Test
    void flushGetIdUnsupportedAndOutOfRange() throws Exception {
        boot(false);
        header(VirtioBlock.T_FLUSH, 0);
        assertEquals(1, request(in(HEADER, 16), out(STATUS, 1)));
        assertEquals(VirtioBlock.S_OK, status());

        header(VirtioBlock.T_GET_ID, 0);
        memory.write(DATA, new byte[20]);
        assertEquals(21, request(in(HEADER, 16), out(DATA, 20), out(STATUS, 1)));
        assertEquals(VirtioBlock.S_OK, status());
        assertArrayEquals(Arrays.copyOf("jettison-disk-0".getBytes(), 20), memory.read(DATA, 20));

        header(99, 0);
        assertEquals(1, request(in(HEADER, 16), out(STATUS, 1)));
        assertEquals(VirtioBlock.S_UNSUPP, status());

        header(VirtioBlock.T_IN, SECTORS - 1);
        request(in(HEADER, 16), out(DATA, 1024), out(STATUS, 1));
        assertEquals(VirtioBlock.S_IOERR, status(), "two sectors from the last one run off the disk");
        header(VirtioBlock.T_OUT, Long.MAX_VALUE / 256);
        request(in(HEADER, 16), in(DATA, 512), out(STATUS, 1));
        assertEquals(VirtioBlock.S_IOERR, status());
        header(VirtioBlock.T_IN, 0);
        request(in(HEADER, 16), out(DATA, 100), out(STATUS, 1));
        assertEquals(VirtioBlock.S_IOERR, status(), "partial sector");

        header(VirtioBlock.T_IN, SECTORS - 1);
        request(in(HEADER, 16), out(DATA, 512), out(STATUS, 1));
        assertEquals(VirtioBlock.S_OK, status(), "the last sector itself is fine");
        assertEquals(0, driver.status() & VirtioPciDevice.STATUS_NEEDS_RESET);
    }

    @Test
    void readOnlyDiskRefusesWrites() throws Exception {
        boot(true);
        assertEquals(VirtioBlock.F_RO, driver.hostFeatures() & VirtioBlock.F_RO);
        byte[] before = Files.readAllBytes(image);
        header(VirtioBlock.T_OUT, 0);
        request(in(HEADER, 16), in(DATA, 512), out(STATUS, 1));
        assertEquals(VirtioBlock.S_IOERR, status());
        assertArrayEquals(before, Files.readAllBytes(image));
    }

    @Test
    void usedBuffersRaiseTheLevelInterruptUntilIsrIsRead() throws Exception {
        boot(false);
        var line = machine.line(GSI);
        assertFalse(line.high());
        header(VirtioBlock.T_FLUSH, 0);
        request(in(HEADER, 16), out(STATUS, 1));
        assertTrue(line.high());
        assertEquals(VirtioPciDevice.ISR_QUEUE, driver.readIsr());
        assertFalse(line.high(), "reading ISR lowers the line");
        assertEquals(0, driver.readIsr(), "and clears ISR");

        ring.suppressInterrupts(true);
        request(in(HEADER, 16), out(STATUS, 1));
        assertFalse(line.high(), "VRING_AVAIL_F_NO_INTERRUPT respected");
        assertEquals(0, driver.readIsr());
    }

    @Test
    void descriptorOutsideRamBreaksTheQueueWithoutThrowing() throws Exception {
        boot(false);
        header(VirtioBlock.T_IN, 0);
        ring.submit(in(HEADER, 16), out(0x4000_0000L, 512), out(STATUS, 1));
        driver.notify(0); // must not throw
        assertEquals(0, ring.usedIdx());
        assertEquals(VirtioPciDevice.STATUS_NEEDS_RESET, driver.status() & VirtioPciDevice.STATUS_NEEDS_RESET);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());

        header(VirtioBlock.T_FLUSH, 0);
        ring.submit(in(HEADER, 16), out(STATUS, 1));
        driver.notify(0);
        assertEquals(0, ring.usedIdx(), "a broken queue stays stopped");

        // A driver reset revives the device.
        ring = driver.start(driver.hostFeatures(), RING)[0];
        assertEquals(0, driver.status() & VirtioPciDevice.STATUS_NEEDS_RESET);
        header(VirtioBlock.T_FLUSH, 0);
        request(in(HEADER, 16), out(STATUS, 1));
        assertEquals(0, status());
    }

    @Test
    void descriptorLoopIsDetected() throws Exception {
        boot(false);
        header(VirtioBlock.T_IN, 0);
        ring.descriptor(0, HEADER, 16, Virtqueue.VRING_DESC_F_NEXT, 1);
        ring.descriptor(1, DATA, 512, Virtqueue.VRING_DESC_F_NEXT | Virtqueue.VRING_DESC_F_WRITE, 0);
        ring.publish(0);
        driver.notify(0);
        assertEquals(0, ring.usedIdx());
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());
    }

    @Test
    void malformedRequestsBreakTheQueue() throws Exception {
        boot(false);
        header(VirtioBlock.T_IN, 0);
        ring.submit(in(HEADER, 8), out(STATUS, 1)); // header too short
        driver.notify(0);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());

        ring = driver.start(driver.hostFeatures(), RING)[0];
        ring.descriptor(0, HEADER, 16, Virtqueue.VRING_DESC_F_NEXT, 300); // next beyond the table
        ring.publish(0);
        driver.notify(0);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());

        ring = driver.start(driver.hostFeatures(), RING)[0];
        ring.descriptor(0, HEADER, 16, Virtqueue.VRING_DESC_F_INDIRECT, 0);
        ring.publish(0);
        driver.notify(0);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken(), "indirect descriptors are not offered");

        ring = driver.start(driver.hostFeatures(), RING)[0];
        memory.writeShort(RING + 16 * 256 + 2, (short) 300); // avail index far ahead
        driver.notify(0);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());

        // A queue placed where there is no RAM.
        driver.writeStatus(0);
        io.write(DeviceSet.VIRTIO_IO_BASE + VirtioPciDevice.QUEUE_PFN, 4, 0x4000_0000 >>> 12);
        driver.notify(0);
        assertTrue(devices.virtio().getFirst().queue(0).isBroken());
    }

    @Test
    void aMalformedRequestBreaksItsOwnQueueNamingTheRequest() {
        var reasons = new ArrayList<String>();
        var queue = new Virtqueue(memory, 256, "blk queue 0", (q, why) -> reasons.add(q.name() + ": " + why));
        queue.setPfn((int) (RING >>> 12));
        var block = new VirtioBlock(new MemoryBlockBackend(SECTORS, false), "jettison-disk-0");
        block.attach(new OneQueueContext(queue, memory));
        var guest = new Ring(memory, RING, 256);
        header(VirtioBlock.T_FLUSH, 0);
        guest.submit(in(HEADER, 16), out(STATUS, 1)); // a well-formed flush first, so the bad one is not at head 0
        guest.submit(in(HEADER, 8), out(STATUS, 1));

        block.onNotify(0);

        assertTrue(queue.isBroken());
        assertEquals(List.of("blk queue 0: request at head 2 has 8 readable and 1 writable bytes; "
                + "needs a 16-byte header and a status byte"), reasons);
    }

    /** The transport's side as the device sees it, for exactly one queue. */
    private record OneQueueContext(Virtqueue only, GuestMemory memory) implements VirtioContext {
        @Override
        public Virtqueue queue(int index) {
            if (index != 0) throw new IndexOutOfBoundsException("one queue, asked for " + index);
            return only;
        }

        @Override
        public int guestFeatures() { return 0; }

        @Override
        public boolean driverOk() { return true; }

        @Override
        public void signalUsed(int queue) { }
    }

    @Test
    void snapshotRestoresTransportAndQueuesIntoAFreshDevice() throws Exception {
        boot(false);
        header(VirtioBlock.T_FLUSH, 0);
        request(in(HEADER, 16), out(STATUS, 1));
        request(in(HEADER, 16), out(STATUS, 1)); // ISR still set: the line stays high across the snapshot
        var state = devices.snapshot();
        assertEquals(2, state.virtio().getFirst().queues().getFirst().lastAvailIdx());
        assertEquals(VirtioPciDevice.ISR_QUEUE, state.virtio().getFirst().isr());
        devices.close();

        var machine2 = new TestMachine();
        var io2 = new IoBus();
        var restored = DeviceSet.create(io2, memory, machine2::line, machine2, ConsoleSink.discard(),
                List.of(new VirtioBlock(new FileBlockBackend(image, false), "jettison-disk-0")));
        devices = restored;
        restored.restore(state);
        assertEquals(state, restored.snapshot());
        assertTrue(machine2.line(GSI).high());

        // The guest carries on with the same ring and driver-side indices.
        driver = new LegacyVirtioDriver(io2, memory, DeviceSet.VIRTIO_IO_BASE);
        assertEquals(VirtioPciDevice.ISR_QUEUE, driver.readIsr());
        assertFalse(machine2.line(GSI).high());
        byte[] data = pattern(512, 99);
        memory.write(DATA, data);
        header(VirtioBlock.T_OUT, 9);
        int before = ring.usedIdx();
        ring.submit(in(HEADER, 16), in(DATA, 512), out(STATUS, 1));
        driver.notify(0);
        assertEquals(before + 1, ring.usedIdx());
        assertEquals(0, status());
        assertArrayEquals(data, Arrays.copyOfRange(Files.readAllBytes(image), 9 * 512, 10 * 512));
    }
}
