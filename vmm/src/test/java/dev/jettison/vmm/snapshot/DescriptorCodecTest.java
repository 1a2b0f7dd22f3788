package dev.jettison.vmm.snapshot;

import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.pci.PciDevice;
import dev.jettison.vmm.devices.serial.Serial16550;
import dev.jettison.vmm.devices.virtio.VirtioPciDevice;
import dev.jettison.vmm.devices.virtio.Virtqueue;
import dev.jettison.vmm.kvm.Cpuid;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorCodecTest {
    private static byte[] blob(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static MachineState sample(long seed) {
        var r = new SplittableRandom(seed);
        var vcpus = List.of(0, 1).stream().map(id -> new VcpuState(id, blob(r, 4), blob(r, 144), blob(r, 312),
                blob(r, 4096), blob(r, 392), blob(r, 128), blob(r, 1024), new int[] {0x10, 0xC0000080},
                new long[] {r.nextLong(), r.nextLong()}, blob(r, 64), 2_596_128 + id)).toList();
        var platform = new PlatformState(blob(r, 520), blob(r, 520), blob(r, 520), blob(r, 112), blob(r, 48));
        var serial = new Serial16550.State(1, 3, 8, 0xC7, 0, 1, 0xB0, false, true, new byte[] {'a'}, new byte[0]);
        var bridge = new PciDevice.State(blob(r, 256), 0);
        var queue = new Virtqueue.State(0x1234, 17, 17, false);
        var blk = new VirtioPciDevice.State(2, 7, 0x200, 0, 1, false, List.of(queue), new PciDevice.State(blob(r, 256), 1),
                new byte[0]);
        byte[] nicState = {0x52, 0x54, 0, 1, 2, 3, 10, 0, 2, 15};
        var net = new VirtioPciDevice.State(1, 7, 0x20, 1, 0, false,
                List.of(new Virtqueue.State(0x2000, 256, 300, false), new Virtqueue.State(0x2100, 41, 41, false)),
                new PciDevice.State(blob(r, 256), 0), nicState);
        var cpuid = new Cpuid(List.of(new Cpuid.Entry(1, 0, 0, 0x800f12, 0x20800, 0xfed83203, 0x178bfbff)));
        return new MachineState(4 * MemoryLayout.GIB, 2, 65536, new byte[] {0x52, 0x54, 0, 1, 2, 3}, cpuid, vcpus,
                platform, new DeviceSet.State(serial, bridge, List.of(blk, net)));
    }

    @Test
    void roundTripReproducesEveryByte() throws Exception {
        var s = sample(1);
        byte[] bytes = DescriptorCodec.encode(s);
        var back = DescriptorCodec.decode(bytes);
        assertArrayEquals(bytes, DescriptorCodec.encode(back));
        assertEquals(s.vcpus(), back.vcpus());
        assertEquals(s.platform(), back.platform());
        assertEquals(4 * MemoryLayout.GIB, back.memBytes());
        assertArrayEquals(s.mac(), back.mac());
        var nic = back.devices().virtio().get(1);
        assertEquals(1, nic.deviceType(), "the second device is the NIC");
        assertArrayEquals(new byte[] {0x52, 0x54, 0, 1, 2, 3, 10, 0, 2, 15}, nic.deviceState(), "MAC and guest address travel");
        assertEquals(s.devices().virtio().get(1).queues(), nic.queues(), "the NIC's queue state travels");
        assertTrue(bytes.length < 16 * 1024, "a 2-vCPU descriptor is small: " + bytes.length + " bytes");
    }

    @Test
    void everyCorruptionIsCaughtWithAReason() {
        byte[] good = DescriptorCodec.encode(sample(2));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        assertMessage(flipped, "checksum");
        assertMessage(Arrays.copyOf(good, good.length - 10), "truncated");
        assertMessage(Arrays.copyOf(good, 5), "truncated header");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertMessage(magic, "bad magic");
        byte[] version = good.clone();
        version[7] = 9;
        assertMessage(version, "version 9");
        byte[] older = good.clone();
        older[7] = 1;
        reseal(older);
        assertMessage(older, "version 1 (from an older build); this build reads only 3");
        older[7] = 2;
        reseal(older);
        assertMessage(older, "version 2 (from an older build); this build reads only 3: consolidate the VM again");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertMessage(longer, "trailing");
    }

    private static void reseal(byte[] b) {
        var crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 4);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
    }

    @Test
    void hostileCountsAreRefusedBeforeAllocating() {
        byte[] b = DescriptorCodec.encode(sample(4));
        // the vCPU count sits right after the 8-byte memory size at the start of the body
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12 + 8, 100_000);
        reseal(b);
        assertMessage(b, "vCPU count 100000 exceeds 8");
    }

    private static void assertMessage(byte[] bytes, String expected) {
        var e = assertThrows(DescriptorException.class, () -> DescriptorCodec.decode(bytes));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void aMacWithoutItsNicOrANicWithoutItsMacIsRefused() {
        var s = sample(5);
        var noNic = new MachineState(s.memBytes(), s.cpus(), s.diskSectors(), s.mac(), s.cpuid(), s.vcpus(), s.platform(),
                new DeviceSet.State(s.devices().serial(), s.devices().hostBridge(), s.devices().virtio().subList(0, 1)));
        assertMessage(DescriptorCodec.encode(noNic), "a MAC but 0 virtio-net devices");
        var noMac = new MachineState(s.memBytes(), s.cpus(), s.diskSectors(), null, s.cpuid(), s.vcpus(), s.platform(),
                s.devices());
        assertMessage(DescriptorCodec.encode(noMac), "no MAC but 1 virtio-net devices");
    }

    /** Random and mutated inputs only ever yield a descriptor or a DescriptorException. */
    @Test
    void fuzzedInputsNeverEscapeAsOtherExceptions() {
        var r = new SplittableRandom(42);
        byte[] good = DescriptorCodec.encode(sample(3));
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = blob(r, r.nextInt(64));
                if (b.length > 8) System.arraycopy(good, 0, b, 0, 8);
            } else {
                b = good.clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) b[12 + r.nextInt(b.length - 16)] = (byte) r.nextInt();
                if (i % 4 == 1) reseal(b); // a valid checksum over a mutated body reaches the field checks
            }
            try {
                DescriptorCodec.decode(b);
            } catch (DescriptorException expected) {
                // the only acceptable failure
            }
        }
    }
}
