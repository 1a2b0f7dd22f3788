package dev.jettison.migration.tls;

import dev.jettison.migration.wire.PeerIdentity;
import dev.jettison.migration.wire.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SiteCaTest {
    @Test
    void issuesHostKeysWhoseCertificatesNameRoleAndVms(@TempDir Path dir) throws Exception {
        var ca = SiteCa.init(dir, "office");
        Path alice = ca.issue(Role.DESKTOP, "alice", List.of("alice-vm", "alice-2"));
        Path srv = ca.issue(Role.SERVER, "srv1", List.of());
        for (Path f : List.of(dir.resolve("ca.key"), dir.resolve("ca.pem"), dir.resolve("crl.pem"), alice.resolve("key.pem"),
                alice.resolve("cert.pem"), alice.resolve("ca.pem"), alice.resolve("crl.pem"), srv.resolve("key.pem"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        assertEquals(PeerIdentity.desktop("alice", Set.of("alice-vm", "alice-2")),
                CertificateNames.identityOf(Pem.certificate(alice.resolve("cert.pem"))));
        assertEquals(PeerIdentity.server("srv1"), CertificateNames.identityOf(Pem.certificate(srv.resolve("cert.pem"))));
        assertEquals(PeerIdentity.desktop("alice", Set.of("alice-vm", "alice-2")), MutualTls.load(alice).self());
        // a reloaded CA issues under the same root
        var again = SiteCa.load(dir);
        Path bob = again.issue(Role.DESKTOP, "bob", List.of("bob-vm"));
        Pem.certificate(bob.resolve("cert.pem")).verify(ca.certificate().getPublicKey());
    }

    @Test
    void listsAndRevokesAndRefusesNonsense(@TempDir Path dir) throws Exception {
        var ca = SiteCa.init(dir, "office");
        ca.issue(Role.DESKTOP, "alice", List.of("alice-vm"));
        ca.issue(Role.SERVER, "srv1", List.of());
        assertThrows(IOException.class, () -> SiteCa.init(dir, "again"), "one CA per folder");
        assertThrows(IllegalArgumentException.class, () -> ca.issue(Role.SERVER, "s2", List.of("vm")));
        assertThrows(IllegalArgumentException.class, () -> ca.issue(Role.DESKTOP, "d2", List.of()));
        assertThrows(IllegalArgumentException.class, () -> ca.issue(Role.DESKTOP, "../x", List.of("vm")));
        assertThrows(IllegalArgumentException.class, () -> ca.issue(Role.DESKTOP, "d3", List.of("a b")));

        var before = ca.list();
        assertEquals(List.of("alice", "srv1"), before.stream().map(SiteCa.Issued::name).toList());
        assertFalse(before.get(0).revoked());
        String serial = ca.revoke("alice");
        var after = ca.list();
        assertTrue(after.get(0).revoked());
        assertEquals(serial, after.get(0).serial());
        assertFalse(after.get(1).revoked());
        assertThrows(IOException.class, () -> ca.revoke("alice"), "revoked already");
        // each host folder got the new list
        var crl = Pem.crl(dir.resolve("hosts/srv1/crl.pem"));
        assertTrue(crl.isRevoked(Pem.certificate(dir.resolve("hosts/alice/cert.pem"))));
    }
}
