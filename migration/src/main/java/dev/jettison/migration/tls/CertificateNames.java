package dev.jettison.migration.tls;

import dev.jettison.migration.wire.PeerIdentity;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.Wire;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host certificate says about its holder, in subject-alternative-name URIs (so the JDK's
 * own certificate parser reads them back):
 * <ul>
 *   <li>{@code jettison:desktop:NAME} or {@code jettison:server:NAME}: the host's role and name,
 *       exactly one per certificate;</li>
 *   <li>{@code jettison:vm:ID}: on a desktop's certificate, one per VM it owns and may consolidate,
 *       serve and take home.</li>
 * </ul>
 * Names and VM ids follow {@link Wire#VM_ID_RULE}. Host names are not DNS names: desktops move
 * between addresses, so a peer is known by its certificate's role, never by its address.
 */
public final class CertificateNames {
    /** Subject-alternative-name type of a URI (RFC 5280 §4.2.1.6). */
    static final int SAN_URI = 6;
    static final String SCHEME = "jettison:";
    static final String VM = SCHEME + "vm:";

    private CertificateNames() {}

    public static String roleUri(Role role, String name) {
        checkName("host name", name);
        return SCHEME + role.name().toLowerCase() + ":" + name;
    }

    public static String vmUri(String vmId) {
        checkName("VM id", vmId);
        return VM + vmId;
    }

    static void checkName(String what, String name) {
        if (!Wire.validVmId(name)) throw new IllegalArgumentException(what + " must be " + Wire.VM_ID_RULE + ": '" + name + "'");
    }

    /** The identity {@code cert} names; refused if it names no role, two, or a server with VMs. */
    public static PeerIdentity identityOf(X509Certificate cert) throws PeerRefusedException {
        List<String> uris = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && san.get(0) instanceof Integer type && type == SAN_URI && san.get(1) instanceof String u) {
                        uris.add(u);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new PeerRefusedException("certificate " + serial(cert) + " has unreadable subject alternative names", e);
        }
        Role role = null;
        String name = null;
        Set<String> vms = new LinkedHashSet<>();
        for (String u : uris) {
            if (!u.startsWith(SCHEME)) continue;
            String rest = u.substring(SCHEME.length());
            int colon = rest.indexOf(':');
            if (colon < 0) continue;
            String kind = rest.substring(0, colon);
            String value = rest.substring(colon + 1);
            if (!Wire.validVmId(value)) throw new PeerRefusedException("certificate " + serial(cert) + " has a bad name in " + u);
            switch (kind) {
                case "vm" -> vms.add(value);
                case "desktop", "server" -> {
                    if (role != null) throw new PeerRefusedException("certificate " + serial(cert) + " names two roles");
                    role = kind.equals("desktop") ? Role.DESKTOP : Role.SERVER;
                    name = value;
                }
                default -> { } // a later version's name: ignored, as X.509 ignores unknown non-critical data
            }
        }
        if (role == null) throw new PeerRefusedException("certificate " + serial(cert) + " names no Jettison role");
        if (role == Role.SERVER && !vms.isEmpty()) {
            throw new PeerRefusedException("certificate " + serial(cert) + " is a server's and lists VMs");
        }
        return role == Role.DESKTOP ? PeerIdentity.desktop(name, vms) : PeerIdentity.server(name);
    }

    static String serial(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }
}
