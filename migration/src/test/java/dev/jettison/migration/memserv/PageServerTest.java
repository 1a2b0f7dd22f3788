package dev.jettison.migration.memserv;

import dev.jettison.migration.wire.Codec;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.SessionId;
import java.io.IOException;
import dev.jettison.migration.wire.ServiceGate;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Wire;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class PageServerTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final SessionId EPOCH = new SessionId(0xabc, 0xdef);

    /**
     * Only the epoch being served is served: another epoch, another VM, another size and no epoch
     * at all get the same refusal, which names nothing; ending the epoch cuts its connections.
     */
    @Test
    void servesOnlyTheCurrentEpochAndRefusalsRevealNothing() throws Exception {
        try (var arena = Arena.ofShared()) {
            MemorySegment ram = arena.allocate(16 * 4096L, 4096);
            var server = new PageServer("vm-e", GuestPages.of(ram));
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK)) {
                for (var wrong : List.of(Message.Hello.of("vm-e", new SessionId(0xabc, 0xdee), 16 * 4096L, 0, Role.SERVER),
                        Message.Hello.of("vm-x", EPOCH, 16 * 4096L, 0, Role.SERVER),
                        Message.Hello.of("vm-e", EPOCH, 8 * 4096L, 0, Role.SERVER),
                        Message.Hello.of("vm-e", 16 * 4096L, 0, Role.SERVER))) {
                    try (var t = TcpTransport.connect(listener.address(), 1000)) {
                        t.send(wrong);
                        var err = assertInstanceOf(Message.Error.class, t.receive());
                        assertEquals(Message.Error.NO_SESSION, err.code());
                        assertEquals("no such session", err.message(), "a refusal names no VM, epoch or size");
                    }
                }
                try (var t = TcpTransport.connect(listener.address(), 1000)) {
                    Handshake.client(t, Message.Hello.of("vm-e", EPOCH, 16 * 4096L, 0, Role.SERVER));
                    t.send(new Message.PageRequest(1, 3, 1));
                    assertInstanceOf(Message.PageData.class, t.receive());
                    server.end();
                    t.readTimeout(java.time.Duration.ofSeconds(5));
                    assertThrows(IOException.class, t::receive, "the ended epoch's connection is closed");
                }
                try (var t = TcpTransport.connect(listener.address(), 1000)) {
                    assertThrows(dev.jettison.migration.wire.SessionEndedException.class,
                            () -> Handshake.client(t, Message.Hello.of("vm-e", EPOCH, 16 * 4096L, 0, Role.SERVER)));
                }
            }
        }
    }

    @Test
    void servesRunsOfPagesWithZeroMarkersAndSurvivesBadRequests() throws Exception {
        try (var arena = Arena.ofShared()) {
            MemorySegment ram = arena.allocate(64 * 4096L, 4096);
            for (long p = 0; p < 64; p += 2) ram.set(ValueLayout.JAVA_LONG, p * 4096 + 8, 1000 + p); // odd pages stay zero
            var server = new PageServer("vm-s", GuestPages.of(ram));
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK);
                 var t = TcpTransport.connect(listener.address(), 1000)) {
                Handshake.client(t, Message.Hello.of("vm-s", EPOCH, 64 * 4096L, 0, Role.SERVER));
                // Out of range, sent with our own wide limits so the encoder lets it through: an Error, not a dead server.
                t.limits(new Limits(Limits.DEFAULT_MAX_PAYLOAD, Limits.DEFAULT_MAX_RUN, 1 << 20, 0));
                t.send(new Message.PageRequest(1, 60, 10));
                var err = assertInstanceOf(Message.Error.class, t.receive());
                assertTrue(err.message().contains("outside"), err.message());
                t.send(new Message.BlockRequest(2, 0, 1));
                assertInstanceOf(Message.Error.class, t.receive());
                t.send(new Message.PageRequest(3, 4, 3));
                var p4 = assertInstanceOf(Message.PageData.class, t.receive());
                var p5 = assertInstanceOf(Message.PageData.class, t.receive());
                var p6 = assertInstanceOf(Message.PageData.class, t.receive());
                assertEquals(List.of(4L, 5L, 6L), List.of(p4.page(), p5.page(), p6.page()));
                assertEquals(3, p4.requestId());
                assertEquals(1004, MemorySegment.ofArray(p4.data()).get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
                assertTrue(p5.isZero());
                assertFalse(p6.isZero());
                var s = server.stats();
                assertEquals(1, s.zeroPages());
                assertEquals(2 * 4096, s.dataBytes());
                assertEquals(2, s.badRequests());
            }
        }
    }

    @Test
    void aCorruptFrameEndsOnlyThatConnection() throws Exception {
        try (var arena = Arena.ofShared()) {
            MemorySegment ram = arena.allocate(16 * 4096L, 4096);
            var server = new PageServer("vm-s", GuestPages.of(ram));
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK)) {
                try (var raw = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
                    byte[] frame = new Codec(Limits.beforeHello()).encode(Message.Hello.of("vm-s", EPOCH, 16 * 4096L, 0, Role.SERVER));
                    frame[Wire.HEADER_BYTES + 3] ^= 0x40; // breaks the checksum
                    OutputStream out = raw.getOutputStream();
                    out.write(frame);
                    out.flush();
                    raw.setSoTimeout(5000);
                    raw.getInputStream().readAllBytes(); // returns only once the server has closed the connection
                }
                try (var t = TcpTransport.connect(listener.address(), 1000)) {
                    Handshake.client(t, Message.Hello.of("vm-s", EPOCH, 16 * 4096L, 0, Role.SERVER));
                    t.send(new Message.PageRequest(1, 0, 1));
                    assertTrue(assertInstanceOf(Message.PageData.class, t.receive()).isZero());
                }
            }
        }
    }

    @Test
    void aClosedGateHoldsTheReplyUntilItOpens() throws Exception {
        try (var arena = Arena.ofShared()) {
            MemorySegment ram = arena.allocate(8 * 4096L, 4096);
            ram.set(ValueLayout.JAVA_LONG, 2 * 4096, 0x1234_5678_9abc_def0L);
            var open = new CountDownLatch(1);
            var admitted = new AtomicInteger();
            var gateOpen = new AtomicBoolean(true);
            ServiceGate gate = () -> {
                admitted.incrementAndGet();
                if (!gateOpen.get()) open.await();
            };
            var served = new AtomicInteger();
            var server = new PageServer("vm-g", GuestPages.of(ram), served::incrementAndGet, gate);
            server.open(EPOCH);
            try (var listener = server.listen(LOOPBACK);
                 var t = TcpTransport.connect(listener.address(), 1000)) {
                Handshake.client(t, Message.Hello.of("vm-g", EPOCH, 8 * 4096L, 0, Role.SERVER));
                gateOpen.set(false);
                t.send(new Message.PageRequest(7, 2, 1));
                t.readTimeout(java.time.Duration.ofMillis(300));
                assertThrows(SocketTimeoutException.class, t::receive, "no reply while the gate is closed");
                assertEquals(0, served.get(), "the request is not answered, nor counted as served, before admission");
                open.countDown();
                t.readTimeout(java.time.Duration.ofMillis(5000));
                var p = assertInstanceOf(Message.PageData.class, t.receive());
                assertEquals(7, p.requestId());
                assertEquals(0x1234_5678_9abc_def0L, MemorySegment.ofArray(p.data()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
                assertEquals(2, admitted.get(), "the handshake and the request each passed the gate");
            }
        }
    }

    @Test
    void pageNumbersSkipTheMmioGap() {
        try (var arena = Arena.ofShared()) {
            MemorySegment low = arena.allocate(8 * 4096L, 4096), high = arena.allocate(4 * 4096L, 4096);
            var pages = GuestPages.of(List.of(low, high));
            assertEquals(12, pages.pageCount());
            assertEquals(high.address(), pages.hostAddress(8));
            assertEquals(9, pages.pageAt(high.address() + 4096 + 17));
            assertEquals(-1, pages.pageAt(high.address() + 4 * 4096));
            assertThrows(IndexOutOfBoundsException.class, () -> pages.page(12));
        }
    }
}
