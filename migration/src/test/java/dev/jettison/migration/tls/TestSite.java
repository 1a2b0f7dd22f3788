package dev.jettison.migration.tls;

import dev.jettison.migration.wire.Role;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A site CA for tests: a consolidation server "srv", desktops "alice" (VM alice-vm) and "mallory"
 * (VM mallory-vm), all issued under one CA in {@code dir}.
 */
public record TestSite(SiteCa ca, MutualTls server, MutualTls alice, MutualTls mallory) {
    public static TestSite create(Path dir) throws IOException {
        var ca = SiteCa.init(dir, "test");
        return new TestSite(ca, MutualTls.load(ca.issue(Role.SERVER, "srv", List.of())),
                MutualTls.load(ca.issue(Role.DESKTOP, "alice", List.of("alice-vm"))),
                MutualTls.load(ca.issue(Role.DESKTOP, "mallory", List.of("mallory-vm"))));
    }

    /** A desktop certificate of this site for {@code vm}, valid in [from, to]. */
    public MutualTls desktop(String name, String vm, Instant from, Instant to) throws IOException {
        return MutualTls.load(ca.issue(Role.DESKTOP, name, List.of(vm), from, to));
    }
}
