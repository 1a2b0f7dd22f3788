package dev.jettison.vmm.devices.virtio;

import dev.jettison.sys.net.TapDevice;
import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.TestMachine;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver;
import dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Ring;
import dev.jettison.vmm.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.in;
import static dev.jettison.vmm.devices.virtio.testing.LegacyVirtioDriver.Buf.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real tap: the host kernel ARPs for the "guest" through our device, and the guest's ARP
 * reply, sent through the transmit queue, teaches the host kernel the guest's MAC.
 */
class TapNetBackendTest {
    static final long RX_RING = 0x10000, TX_RING = 0x14000, RX_BUF = 0x40000, TX_BUF = 0x50000;
    static final byte[] GUEST_MAC = {0x52, 0x54, 0x00, 0x0a, 0x0b, 0x0c};
    static final byte[] HOST_IP = {10, (byte) 213, 77, 1}, GUEST_IP = {10, (byte) 213, 77, 2};

    static void sh(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + output);
    }

    static String shOut(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    @Test
    void hostArpsThroughTheTapAndLearnsTheGuestFromItsReply() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/net/tun")), "needs /dev/net/tun (root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "needs ip(8)");
        String name = "jdevt" + (ProcessHandle.current().pid() % 100000);
        GuestMemory memory = TestMachine.memory(1 << 20);
        var machine = new TestMachine();
        var io = new IoBus();
        try (var devices = DeviceSet.create(io, memory, machine::line, machine, ConsoleSink.discard(),
                List.of(new VirtioNet(new TapNetBackend(TapDevice.open(name)), GUEST_MAC)))) {
            sh("ip", "addr", "add", "10.213.77.1/24", "dev", name);
            sh("ip", "link", "set", name, "up");
            var driver = new LegacyVirtioDriver(io, memory, DeviceSet.VIRTIO_IO_BASE);
            Ring[] rings = driver.start(VirtioNet.F_MAC, RX_RING, TX_RING);
            for (int i = 0; i < 8; i++) rings[0].submit(out(RX_BUF + 2048L * i, 2048));
            driver.notify(VirtioNet.RX_QUEUE);

            var ping = new ProcessBuilder("ping", "-c", "20", "-i", "0.2", "-W", "1", "10.213.77.2")
                    .redirectErrorStream(true).start();
            try {
                // Wait for the kernel's ARP request for the guest address (IPv6 noise may come first).
                byte[] request = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                int seen = 0;
                while (request == null && System.nanoTime() < deadline) {
                    while (seen < rings[0].usedIdx() && request == null) {
                        int len = rings[0].usedLen(seen);
                        byte[] f = memory.read(RX_BUF + 2048L * rings[0].usedId(seen), len);
                        seen++;
                        if (len >= 10 + 42 && f[22] == 0x08 && f[23] == 0x06
                                && Arrays.equals(Arrays.copyOfRange(f, 48, 52), GUEST_IP)) {
                            request = f;
                        }
                    }
                    Thread.sleep(20);
                }
                assertTrue(request != null, "the host's ARP request reached the guest's receive buffer");
                assertArrayEquals(new byte[10], Arrays.copyOf(request, 10), "plain vnet header, no offloads");
                byte[] hostMac = Arrays.copyOfRange(request, 16, 22);

                ByteBuffer reply = ByteBuffer.allocate(10 + 42);
                reply.put(new byte[10]).put(hostMac).put(GUEST_MAC).putShort((short) 0x0806)
                        .putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2)
                        .put(GUEST_MAC).put(GUEST_IP).put(hostMac).put(HOST_IP);
                memory.write(TX_BUF, reply.array());
                rings[1].submit(in(TX_BUF, 10), in(TX_BUF + 10, 42));
                driver.notify(VirtioNet.TX_QUEUE);
                assertEquals(1, rings[1].usedIdx());

                String mac = HexFormat.ofDelimiter(":").formatHex(GUEST_MAC);
                String neigh = "";
                for (int i = 0; i < 100 && !neigh.contains(mac); i++) {
                    Thread.sleep(50);
                    neigh = shOut("ip", "neigh", "show", "10.213.77.2", "dev", name);
                }
                assertTrue(neigh.contains(mac), "host learned the guest MAC from the transmitted reply: " + neigh);
            } finally {
                ping.destroy();
            }
        }
    }
}
