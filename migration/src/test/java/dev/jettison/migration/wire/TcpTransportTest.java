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
            Handshake.server(t, desktopHello, h -> h.ramBytes() == CodecTest.RAM, "64 MiB");
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
    void aHelloForAnotherVmGetsAnErrorNamingTheMismatch() throws Exception {
        var desktopHello = Hello.of("vm-1", CodecTest.RAM, 0, Role.DESKTOP);
        try (var listener = TcpListener.open(LOOPBACK, "mismatch",
                t -> Handshake.server(t, desktopHello, h -> true, "any"));
             var t = TcpTransport.connect(listener.address(), 2000)) {
            var e = assertThrows(IOException.class, () -> Handshake.client(t, Hello.of("vm-2", CodecTest.RAM, 0, Role.SERVER)));
            assertTrue(e.getMessage().contains("vm-1") && e.getMessage().contains("vm-2"), e.getMessage());
        }
    }
}
