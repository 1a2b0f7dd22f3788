package dev.jettison.agent.power;

import dev.jettison.core.energy.PowerProfile;
import dev.jettison.migration.diskserv.BlockServer;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.TcpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static dev.jettison.agent.power.EmulatedSleepTest.ANY_LOOPBACK_PORT;
import static dev.jettison.agent.power.EmulatedSleepTest.MAC;
import static dev.jettison.agent.power.EmulatedSleepTest.sendMagic;
import static dev.jettison.agent.power.PowerManagerTest.PATIENCE;
import static dev.jettison.agent.power.PowerState.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Real memserv and diskserv over loopback behind the power manager's gate: while the desktop
 * microsleeps a request is held, not lost, and not a wake-up; the magic packet wakes the desktop
 * and the held request is answered byte for byte.
 */
class PowerGateTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final int PAGES = 32;

    @TempDir
    Path dir;

    static final dev.jettison.migration.wire.SessionId EPOCH = new dev.jettison.migration.wire.SessionId(0x9a7e, 1);

    @Test
    void aPageRequestWhileAsleepIsAnsweredOnlyAfterTheMagicPacket() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT);
        try (var arena = Arena.ofShared();
             var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1))) {
            MemorySegment ram = arena.allocate(PAGES * 4096L, 4096);
            byte[] content = new byte[PAGES * 4096];
            new Random(42).nextBytes(content);
            MemorySegment.copy(content, 0, ram, ValueLayout.JAVA_BYTE, 0, content.length);
            var server = new PageServer("vm-p", GuestPages.of(ram), () -> { }, power.gate());
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK);
                 var t = TcpTransport.connect(listener.address(), 5000)) {
                Handshake.client(t, Message.Hello.of("vm-p", EPOCH, PAGES * 4096L, 0, Role.SERVER));

                assertTrue(power.sleep());
                assertTrue(power.awaitState(ASLEEP, PATIENCE));
                t.send(new Message.PageRequest(9, 5, 2));
                t.readTimeout(java.time.Duration.ofMillis(500));
                assertThrows(SocketTimeoutException.class, t::receive, "a sleeping desktop does not answer");
                assertEquals(ASLEEP, power.state(), "the request itself does not wake the desktop");
                assertEquals(0, server.stats().requests());

                long woke = System.nanoTime();
                sendMagic(MAC, sleep.wolPort());
                t.readTimeout(PATIENCE);
                var first = assertInstanceOf(Message.PageData.class, t.receive());
                var second = assertInstanceOf(Message.PageData.class, t.receive());
                long answered = System.nanoTime();
                assertEquals(AWAKE, power.state());
                assertTrue(answered - woke >= sleep.resumeTime().toNanos(), "answered only after the resume");

                assertEquals(9, first.requestId());
                assertEquals(5, first.page());
                assertEquals(6, second.page());
                assertArrayEquals(Arrays.copyOfRange(content, 5 * 4096, 6 * 4096), first.data());
                assertArrayEquals(Arrays.copyOfRange(content, 6 * 4096, 7 * 4096), second.data());
                assertEquals(1, power.gate().held());
                assertEquals(1, power.report().wakeups(WakeSource.MAGIC_PACKET));
            }
        }
    }

    @Test
    void aBlockRequestThatArrivesMidSuspendIsAnsweredAfterResume() throws Exception {
        // 8.38 s / 10: the request lands well inside the 838 ms suspend.
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 10, MAC, ANY_LOOPBACK_PORT);
        Path image = dir.resolve("disk.img");
        byte[] disk = new byte[8 * 4096];
        new Random(7).nextBytes(disk);
        Files.write(image, disk);
        try (var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1))) {
            var server = new BlockServer("vm-b", image, () -> { }, power.gate());
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK);
                 var t = TcpTransport.connect(listener.address(), 5000)) {
                Handshake.client(t, Message.Hello.of("vm-b", EPOCH, 0, disk.length, Role.SERVER));
                assertTrue(power.sleep());
                t.send(new Message.BlockRequest(3, 2, 1));
                assertTrue(power.awaitState(ASLEEP, PATIENCE));
                sendMagic(MAC, sleep.wolPort());
                t.readTimeout(PATIENCE);
                var block = assertInstanceOf(Message.BlockData.class, t.receive());
                assertEquals(AWAKE, power.state());
                assertEquals(3, block.requestId());
                assertArrayEquals(Arrays.copyOfRange(disk, 2 * 4096, 3 * 4096), block.data());
                assertEquals(1, server.stats().requests());
                assertEquals(1, power.gate().held());
            }
        }
    }

    @Test
    void aNewConnectionIsNotEvenGreetedWhileAsleep() throws Exception {
        var sleep = new EmulatedSleep(PowerProfile.TABLE_1, 100, MAC, ANY_LOOPBACK_PORT);
        try (var arena = Arena.ofShared();
             var power = new PowerManager(sleep, new EnergyMeter(PowerProfile.TABLE_1))) {
            MemorySegment ram = arena.allocate(PAGES * 4096L, 4096);
            var server = new PageServer("vm-h", GuestPages.of(ram), () -> { }, power.gate());
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK)) {
                assertTrue(power.sleep());
                assertTrue(power.awaitState(ASLEEP, PATIENCE));
                try (var t = TcpTransport.connect(listener.address(), 5000)) {
                    t.send(Message.Hello.of("vm-h", EPOCH, PAGES * 4096L, 0, Role.SERVER));
                    t.readTimeout(java.time.Duration.ofMillis(500));
                    assertThrows(SocketTimeoutException.class, t::receive, "no Hello back from a sleeping desktop");
                    sendMagic(MAC, sleep.wolPort());
                    t.readTimeout(PATIENCE);
                    var hello = assertInstanceOf(Message.Hello.class, t.receive());
                    assertEquals("vm-h", hello.vmId());
                }
            }
        }
    }
}
