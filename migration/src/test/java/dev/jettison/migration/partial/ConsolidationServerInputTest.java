package dev.jettison.migration.partial;

import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server facing bad input from a desktop: a corrupt or truncated descriptor and a frame cut
 * short are refused with a reason naming the problem, no VM is created, and the server goes on
 * serving the next desktop. Needs no KVM: all of it is refused before a VM would exist.
 */
class ConsolidationServerInputTest {
    private static final long RAM = 64L << 20;

    @Test
    void aCorruptOrTruncatedDescriptorIsRefusedWithItsReasonAndTheServerGoesOn(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            assertRefused(server, "not-a-descriptor".getBytes(), "bad magic");
            byte[] headerOnly = Arrays.copyOf("JTSDESC".getBytes(), 5);
            assertRefused(server, headerOnly, "truncated");
            assertEquals(0, server.hostedCount(), "no VM was created");
            var vmDir = dir.resolve("bad-input");
            if (java.nio.file.Files.exists(vmDir)) {
                try (var files = java.nio.file.Files.list(vmDir)) {
                    assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("epoch-")),
                            "a refused admission leaves no epoch folder behind");
                }
            }
        }
    }

    /** A Hello without an epoch, or a VM id that is no safe file name, never gets near the state folder. */
    @Test
    void aHelloWithoutEpochOrWithAPathForAnIdIsRefused(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir.resolve("state"), FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            try (var t = TcpTransport.connect(server.address(), 2000)) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> Handshake.client(t, Message.Hello.of("no-epoch", RAM, 0, Role.DESKTOP)));
                assertTrue(e.getMessage().contains("session"), e.getMessage());
            }
            for (String id : new String[]{"..", ".hidden", "a/b", "-x"}) {
                var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Message.Hello.of(id, SessionId.random(), RAM, 0, Role.DESKTOP), id);
                assertTrue(bad.getMessage().contains("bad VM id"), bad.getMessage());
            }
            // The same ids forged on the wire are refused by the decoder, before the server sees them.
            try (var s = new Socket()) {
                s.connect(server.address(), 2000);
                var hello = new dev.jettison.migration.wire.Codec(dev.jettison.migration.wire.Limits.beforeHello())
                        .encode(Message.Hello.of("xx", SessionId.random(), RAM, 0, Role.DESKTOP));
                hello[12 + 4] = '.';
                hello[12 + 5] = '.';
                var crc = new java.util.zip.CRC32C();
                crc.update(hello, 0, hello.length - 4);
                java.nio.ByteBuffer.wrap(hello).putInt(hello.length - 4, (int) crc.getValue());
                s.getOutputStream().write(hello);
                s.setSoTimeout(5000);
                s.getInputStream().readAllBytes();
            }
            assertTrue(java.nio.file.Files.notExists(dir.resolve("state").resolve("..").normalize().resolve("epoch")));
            try (var state = java.nio.file.Files.list(dir.resolve("state"))) {
                assertEquals(0, state.count(), "nothing was created for any of them");
            }
            assertEquals(0, server.hostedCount());
        }
    }

    @Test
    void aFrameCutShortEndsOnlyThatConnection(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            try (var s = new Socket()) {
                s.connect(server.address(), 2000);
                s.getOutputStream().write(new byte[] {'J', 'T', 'S', 1, 0, 0}); // a frame header cut short
            }
            // The server still answers a well-behaved desktop with the descriptor's own reason.
            assertRefused(server, new byte[100], "bad magic");
            assertEquals(0, server.hostedCount());
        }
    }

    @Test
    void eachVmMayHaveItsOwnPrefetchPolicy(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(),
                new InetSocketAddress("127.0.0.1", 0))) {
            server.prefetchPolicy("alice", new PrefetchPolicy.Hoarding(512));
            assertEquals(new PrefetchPolicy.Hoarding(512), server.prefetchPolicy("alice"));
            assertEquals(PrefetchPolicy.paperDefault(), server.prefetchPolicy("bob"), "others keep the server's policy");
        }
    }

    private static void assertRefused(ConsolidationServer server, byte[] descriptor, String reason) throws IOException {
        try (var t = TcpTransport.connect(server.address(), 2000)) {
            Handshake.client(t, Message.Hello.of("bad-input", SessionId.random(), RAM, 0, Role.DESKTOP));
            t.send(new Message.Endpoints(1, 0));
            t.send(new Message.Descriptor(DescriptorCodec.VERSION, descriptor));
            var reply = assertInstanceOf(Message.Error.class, t.receive());
            assertTrue(reply.message().contains("cannot run VM bad-input") && reply.message().contains(reason),
                    reply.message());
        }
    }
}
