package dev.jettison.migration.memserv;

import dev.jettison.migration.tls.TestSite;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.SessionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * memserv over mutual TLS: the site's server reads the epoch's pages; another desktop's
 * certificate speaking as a server, even with the right VM id and epoch, gets a refusal that names
 * nothing and not one byte of the guest's memory; and the server will not fetch alice's VM from a
 * host whose certificate is not alice's.
 */
class TlsPageServerTest {
    static final SessionId EPOCH = SessionId.random();

    @Test
    void onlyTheSitesServerReadsPages(@TempDir Path dir) throws Exception {
        var site = TestSite.create(dir);
        try (var arena = Arena.ofShared()) {
            var ram = arena.allocate(16 * 4096L, 4096);
            ram.set(ValueLayout.JAVA_LONG, 3 * 4096, 0x5EC12E7L);
            var memserv = new PageServer("alice-vm", GuestPages.of(ram));
            memserv.open(EPOCH);
            var hello = Message.Hello.of("alice-vm", EPOCH, 16 * 4096L, 0, Role.SERVER);
            try (var listener = memserv.listen(PageServerTest.LOOPBACK, site.alice())) {
                try (var t = site.server().connect(listener.address(), 2000)) {
                    Handshake.client(t, hello);
                    t.send(new Message.PageRequest(1, 3, 1));
                    var page = assertInstanceOf(Message.PageData.class, t.receive());
                    assertEquals(0x5EC12E7L, java.nio.ByteBuffer.wrap(page.data()).order(java.nio.ByteOrder.nativeOrder()).getLong());
                }
                try (var t = site.mallory().connect(listener.address(), 2000)) {
                    t.readTimeout(Duration.ofSeconds(5));
                    // Handshake.client would refuse to speak as a server with a desktop's certificate; forge it by hand.
                    t.send(hello);
                    var err = assertInstanceOf(Message.Error.class, t.receive());
                    assertEquals(Message.Error.REFUSED, err.code());
                    assertEquals("not permitted", err.message());
                    t.send(new Message.PageRequest(2, 3, 1));
                    assertThrows(java.io.IOException.class, t::receive, "the connection is closed, no page follows");
                }
                var e = assertThrows(PeerRefusedException.class, () -> {
                    try (var t = site.mallory().connect(listener.address(), 2000)) {
                        Handshake.client(t, hello);
                    }
                });
                assertTrue(e.getMessage().contains("refused this host's certificate"), e.getMessage());
                assertEquals(1, memserv.stats().requests(), "only the server's request was answered");
            }
            // The server checks the desktop too: a memserv holding mallory's certificate is not alice-vm's.
            try (var listener = memserv.listen(PageServerTest.LOOPBACK, site.mallory());
                 var t = site.server().connect(listener.address(), 2000)) {
                var e = assertThrows(PeerRefusedException.class, () -> Handshake.client(t, hello));
                assertTrue(e.getMessage().contains("does not own VM 'alice-vm'"), e.getMessage());
            }
        }
    }
}
