package dev.jettison.migration.partial;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.wire.Codec;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that misbehave cost the server a bounded amount and nothing lasting: half-open
 * connections announcing the largest frames do not grow the heap, and refused admissions leave
 * no file descriptor or thread behind. Needs no KVM: everything here is refused before a VM exists.
 */
class BoundedPeersTest {
    private static final long RAM = 64L << 20;

    /** A thousand peers each announce an 8 MiB descriptor and send nothing more; the heap stays put. */
    @Test
    void aThousandHalfOpenConnectionsLeaveTheHeapWhereItWas(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            long before = usedHeapAfterGc();
            List<Socket> peers = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    var s = new Socket();
                    s.connect(server.address(), 2000);
                    peers.add(s);
                    try {
                        var out = s.getOutputStream();
                        out.write(new Codec(Limits.beforeHello()).encode(
                                Message.Hello.of("peer-" + i, SessionId.random(), RAM, 0, Role.DESKTOP)));
                        out.write(header(2, Limits.DEFAULT_MAX_PAYLOAD)); // a Descriptor of 8 MiB, never sent
                        out.flush();
                    } catch (IOException e) {
                        // Beyond the connection limit the server has closed it already: as it should.
                    }
                }
                Thread.sleep(500);
                long during = usedHeapAfterGc();
                System.out.printf("heap with 1000 half-open peers: %+d KiB%n", (during - before) / 1024);
                assertTrue(during - before < 64L << 20, "heap grew by " + (during - before) / (1 << 20) + " MiB");
                // And a well-behaved desktop is still answered once they are gone.
            } finally {
                for (var s : peers) s.close();
            }
            Thread.sleep(200);
            try (var t = TcpTransport.connect(server.address(), 2000)) {
                Handshake.client(t, Message.Hello.of("after", SessionId.random(), RAM, 0, Role.DESKTOP));
                t.send(new Message.Endpoints(1, 0));
                t.send(new Message.Descriptor(1, new byte[16]));
                var e = assertInstanceOf(Message.Error.class, t.receive());
                assertTrue(e.message().contains("cannot run VM after"), e.message());
            }
        }
    }

    /** A hundred refused admissions leave the server's descriptor and thread counts where they were. */
    @Test
    void refusedAdmissionsLeaveNoFileOrThreadBehind(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            refuse(server, 0); // warm-up: the first connection starts the JDK's own machinery
            Thread.sleep(200);
            long fds = openFds(), threads = nativeThreads();
            for (int i = 1; i <= 100; i++) refuse(server, i);
            Thread.sleep(500);
            System.out.printf("after 100 refused admissions: fds %d -> %d, threads %d -> %d%n", fds, openFds(), threads,
                    nativeThreads());
            assertTrue(openFds() <= fds + 2, "file descriptors " + fds + " -> " + openFds());
            assertTrue(nativeThreads() <= threads + 2, "threads " + threads + " -> " + nativeThreads());
            assertEquals(0, server.hostedCount());
        }
    }

    private static void refuse(ConsolidationServer server, int i) throws IOException {
        try (var t = TcpTransport.connect(server.address(), 2000)) {
            Handshake.client(t, Message.Hello.of("refused-" + i, SessionId.random(), RAM, 0, Role.DESKTOP));
            t.send(new Message.Endpoints(1, 0));
            t.send(new Message.Descriptor(1, "not a descriptor".getBytes()));
            assertInstanceOf(Message.Error.class, t.receive());
        }
    }

    /** A frame header announcing {@code length} payload bytes of message type {@code type}. */
    private static byte[] header(int type, int length) {
        return ByteBuffer.allocate(Wire.HEADER_BYTES).putInt(Wire.MAGIC).put((byte) Wire.VERSION).put((byte) type)
                .putShort((short) 0).putInt(length).array();
    }

    static long usedHeapAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long nativeThreads() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("Threads:")) return Long.parseLong(l.substring(8).strip());
        }
        throw new IOException("no Threads: line in /proc/self/status");
    }
}
