package dev.jettison.migration.wire;

import dev.jettison.migration.wire.Message.*;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class TcpTransportTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void everyMessageCrossesLoopbackAfterAHandshake() throws Exception {
        var desktopHello = Hello.of("vm-1", CodecTest.RAM, CodecTest.DISK, Role.DESKTOP);
        List<Message> received = new CopyOnWriteArrayList<>();
        var done = new CountDownLatch(1);
        try (var listener = TcpListener.open(LOOPBACK, "echo", t -> {
            Handshake.server(t, h -> h.ramBytes() == CodecTest.RAM ? java.util.Optional.of(desktopHello) : java.util.Optional.empty());
            while (true) {
                Message m = t.receive();
                received.add(m);
                if (m instanceof Bye) {
                    done.countDown();
                    return;
                }
                t.send(m); // echo
            }
        }); var t = TcpTransport.connect(listener.address(), 2000)) {
            Hello peer = Handshake.client(t, CodecTest.HELLO);
            assertEquals(Role.DESKTOP, peer.role());
            assertEquals(CodecTest.RAM / 4096, t.limits().ramPages());
            List<Message> sent = new ArrayList<>();
            for (Message m : CodecTest.everyMessage()) if (!(m instanceof Bye)) sent.add(m);
            t.sendAll(sent);
            for (Message m : sent) assertEquals(m, t.receive());
            t.send(new Bye());
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(sent.size() + 1, received.size());
        }
    }

    @Test
    void aRefusedHelloLearnsNothingAboutWhatIsServed() throws Exception {
        var desktopHello = Hello.of("vm-1", CodecTest.RAM, 0, Role.DESKTOP);
        try (var listener = TcpListener.open(LOOPBACK, "mismatch",
                t -> Handshake.server(t, h -> h.vmId().equals("vm-1") ? java.util.Optional.of(desktopHello) : java.util.Optional.empty()));
             var t = TcpTransport.connect(listener.address(), 2000)) {
            var e = assertThrows(SessionEndedException.class, () -> Handshake.client(t, Hello.of("vm-2", CodecTest.RAM, 0, Role.SERVER)));
            assertFalse(e.getMessage().contains("vm-1"), e.getMessage());
        }
    }

    /** A peer that connects and says nothing is dropped after the handshake timeout. */
    @Test
    void aSilentPeerIsDroppedAfterTheHandshakeTimeout() throws Exception {
        var options = new TcpListener.Options(4, java.time.Duration.ofMillis(300), false);
        try (var listener = TcpListener.open(LOOPBACK, "silent", t -> Handshake.server(t, h -> java.util.Optional.empty()), options);
             var raw = new java.net.Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            raw.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertEquals(-1, raw.getInputStream().read(), "the listener closes a connection that never says Hello");
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        }
    }

    /** Beyond the connection limit a new connection is closed at once; the ones already served go on. */
    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        var options = new TcpListener.Options(2, java.time.Duration.ofSeconds(30), false);
        try (var listener = TcpListener.open(LOOPBACK, "capped", t -> t.receive(), options);
             var a = new java.net.Socket(InetAddress.getLoopbackAddress(), listener.port());
             var b = new java.net.Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (listener.openConnections() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            try (var c = new java.net.Socket(InetAddress.getLoopbackAddress(), listener.port())) {
                c.setSoTimeout(5000);
                assertEquals(-1, c.getInputStream().read(), "the third connection is closed");
            }
            assertEquals(1, listener.refusedConnections());
            assertEquals(2, listener.openConnections());
        }
    }
}
