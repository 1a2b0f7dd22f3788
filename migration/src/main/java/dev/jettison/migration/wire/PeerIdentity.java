package dev.jettison.migration.wire;

import java.util.Objects;
import java.util.Set;

/**
 * Who the peer of a connection is, as the site CA's certificate names it: a desktop (which owns
 * the VMs its certificate lists) or a consolidation server. {@link #UNAUTHENTICATED} on plaintext
 * connections, which only exist with {@code --insecure}: there nothing is known and nothing is
 * refused.
 *
 * @param authenticated whether a certificate of the site CA stands behind this identity
 * @param role          the role the certificate names (null when unauthenticated)
 * @param name          the host's name in its certificate, for log lines
 * @param vmIds         for a desktop, the VM ids it owns; empty for a server
 */
public record PeerIdentity(boolean authenticated, Role role, String name, Set<String> vmIds) {
    public static final PeerIdentity UNAUTHENTICATED = new PeerIdentity(false, null, "unauthenticated", Set.of());

    public PeerIdentity {
        Objects.requireNonNull(name, "name");
        vmIds = Set.copyOf(vmIds);
        if (authenticated && role == null) throw new IllegalArgumentException("an authenticated peer has a role");
    }

    public static PeerIdentity desktop(String name, Set<String> vmIds) {
        return new PeerIdentity(true, Role.DESKTOP, name, vmIds);
    }

    public static PeerIdentity server(String name) {
        return new PeerIdentity(true, Role.SERVER, name, Set.of());
    }

    /**
     * Refuses unless this peer may act as {@code role} for {@code vmId}: a server for any VM (it
     * still needs the epoch's random session id, which only the VM's desktop hands out), a desktop
     * only for a VM its certificate lists.
     */
    public void require(Role role, String vmId) throws PeerRefusedException {
        if (!authenticated) return;
        if (this.role != role) {
            throw new PeerRefusedException(describe() + " is not a " + role.name().toLowerCase() + " (its certificate says "
                    + this.role.name().toLowerCase() + ")");
        }
        if (role == Role.DESKTOP && !vmIds.contains(vmId)) {
            throw new PeerRefusedException(describe() + " does not own VM '" + vmId + "' (its certificate lists " + vmIds + ")");
        }
    }

    /** "desktop 'alice'", for log lines. */
    public String describe() {
        return authenticated ? role.name().toLowerCase() + " '" + name + "'" : "unauthenticated peer";
    }
}
