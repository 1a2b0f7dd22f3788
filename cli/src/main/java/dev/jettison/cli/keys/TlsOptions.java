package dev.jettison.cli.keys;

import dev.jettison.migration.tls.MutualTls;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.WireSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The daemons' choice between mutual TLS and plaintext. There is no silent default: a daemon
 * names its host folder ({@code --tls-dir}, from {@code jettison keys issue}) or says
 * {@code --insecure}, and then warns at every start that anyone who reaches its ports can read
 * and move VMs.
 */
public final class TlsOptions {
    private static final Logger LOG = LoggerFactory.getLogger(TlsOptions.class);

    @Option(names = "--tls-dir", description = "this host's folder from jettison keys issue (key.pem, cert.pem, ca.pem, crl.pem): "
            + "mutual TLS 1.3 on every channel")
    public Path tlsDir;

    @Option(names = "--insecure", description = "plaintext, no authentication: anyone who reaches the ports can read and move "
            + "VMs (warned at every start)")
    public boolean insecure;

    /**
     * The security for a daemon acting as {@code role} (for a desktop, of VM {@code vmId}): its
     * certificate must say so, or the daemon does not start.
     */
    public WireSecurity security(Role role, String vmId) throws IOException {
        if (insecure && tlsDir != null) throw new IllegalArgumentException("--insecure and --tls-dir exclude each other");
        if (insecure) {
            LOG.warn("INSECURE: plaintext without authentication (--insecure): anyone who can reach this {}'s ports can read "
                    + "guest memory and disks and move VMs; use --tls-dir (jettison keys) outside a test bed", role.name().toLowerCase());
            return WireSecurity.PLAINTEXT;
        }
        if (tlsDir == null) {
            throw new IllegalArgumentException("name this host's keys with --tls-dir DIR (see jettison keys issue), or run "
                    + "without authentication with --insecure");
        }
        var tls = MutualTls.load(tlsDir);
        try {
            tls.self().require(role, vmId == null ? "-" : vmId);
        } catch (PeerRefusedException e) {
            throw new IllegalArgumentException(tlsDir + ": this host's own certificate does not fit: " + e.getMessage());
        }
        LOG.info("{}", tls);
        return tls;
    }
}
