package dev.jettison.migration.tls;

import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.PeerIdentity;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Transport;
import dev.jettison.migration.wire.WireSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The TLS link itself: both ends learn who the other is from the site CA's certificates, and a
 * peer without a valid one (none, another CA's, expired, revoked) never reaches the handler.
 */
class MutualTlsTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    TestSite site;
    /** Who each served connection's peer was; a refused peer adds nothing. */
    final List<PeerIdentity> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void site(@TempDir Path dir) throws IOException {
        site = TestSite.create(dir);
    }

    TcpListener echo(WireSecurity security) throws IOException {
        return TcpListener.open(LOOPBACK, "echo", t -> {
            served.add(t.identity());
            t.send(t.receive());
        }, TcpListener.Options.DEFAULT.withSecurity(security));
    }

    /**
     * In TLS 1.3 a client finishes its handshake before the server has checked the client's
     * certificate, so a refused client may only learn it at its first read: either way it never
     * gets an answer.
     */
    static void refused(MutualTls client, InetSocketAddress to) {
        assertThrows(IOException.class, () -> {
            try (var t = client.connect(to, 2000)) {
                t.readTimeout(Duration.ofSeconds(5));
                t.send(new Message.Ping(7));
                fail("a refused peer got " + t.receive());
            }
        });
    }

    @Test
    void bothEndsLearnEachOthersIdentityAndMessagesCross() throws Exception {
        try (var l = echo(site.server());
             Transport t = site.alice().connect(l.address(), 2000)) {
            assertEquals(PeerIdentity.server("srv"), t.identity());
            t.send(new Message.Ping(42));
            assertEquals(new Message.Ping(42), t.receive());
            assertEquals(List.of(PeerIdentity.desktop("alice", Set.of("alice-vm"))), served);
            assertTrue(t.toString().startsWith("tls "), t.toString());
        }
    }

    @Test
    void aPlaintextPeerGetsNothing() throws Exception {
        try (var l = echo(site.server());
             var t = TcpTransport.connect(l.address(), 2000)) {
            t.readTimeout(Duration.ofSeconds(5));
            try {
                t.send(Message.Hello.of("alice-vm", 4096, 0, Role.DESKTOP));
                var reply = t.receive();
                fail("a plaintext peer got " + reply);
            } catch (IOException expected) {
                // a TLS alert is not a frame, then the connection closes
            }
            assertEquals(List.of(), served);
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedBothWays(@TempDir Path other) throws Exception {
        var stranger = TestSite.create(other);
        try (var l = echo(site.server())) {
            refused(stranger.alice(), l.address());
        }
        try (var l = echo(stranger.server())) {
            assertThrows(PeerRefusedException.class, () -> site.alice().connect(l.address(), 2000).close());
        }
        assertEquals(List.of(), served);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        var expired = site.desktop("old", "alice-vm", Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        try (var l = echo(site.server())) {
            refused(expired, l.address());
        }
        assertEquals(List.of(), served);
    }

    @Test
    void aRevokedCertificateIsRefusedOnceTheListChangesWithoutARestart() throws Exception {
        try (var l = echo(site.server())) {
            try (var t = site.mallory().connect(l.address(), 2000)) {
                t.send(new Message.Ping(1));
                assertEquals(new Message.Ping(1), t.receive());
            }
            site.ca().revoke("mallory");
            refused(site.mallory(), l.address());
            try (var t = site.alice().connect(l.address(), 2000)) {
                t.send(new Message.Ping(2));
                assertEquals(new Message.Ping(2), t.receive(), "others still get in");
            }
        }
        assertEquals(List.of("mallory", "alice"), served.stream().map(PeerIdentity::name).toList());
    }

    @Test
    void aDamagedRevocationListRefusesEveryone(@TempDir Path dir) throws Exception {
        try (var l = echo(site.server())) {
            java.nio.file.Files.writeString(site.ca().hostDir("srv").resolve("crl.pem"), "not a list");
            refused(site.alice(), l.address());
        }
        assertEquals(List.of(), served);
    }
}
