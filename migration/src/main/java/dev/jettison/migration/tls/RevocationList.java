package dev.jettison.migration.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

/**
 * The site's revocation list as this host last read it: re-read whenever the file changes
 * (checked at every handshake, a stat), its signature checked against the site CA. A list that
 * exists but cannot be read or was not signed by the CA refuses every peer until it is fixed:
 * failing open would let a revoked host back in.
 */
final class RevocationList {
    private static final Logger log = LoggerFactory.getLogger(RevocationList.class);

    private final Path file;
    private final PublicKey caKey;
    // Guarded by `this`.
    private FileTime loadedStamp;
    private long loadedSize = -1;
    private X509CRL crl;
    private String broken;

    RevocationList(Path file, PublicKey caKey) {
        this.file = file;
        this.caKey = caKey;
    }

    /** Throws unless {@code cert} may be used: not revoked, and the list itself is sound. */
    synchronized void check(X509Certificate cert) throws CertificateException {
        reloadIfChanged();
        if (broken != null) throw new CertificateException("revocation list " + file + " is unusable (" + broken + "); refusing every peer");
        if (crl != null && crl.isRevoked(cert)) {
            throw new CertificateException("certificate " + CertificateNames.serial(cert) + " (" + cert.getSubjectX500Principal().getName()
                    + ") is revoked");
        }
    }

    private void reloadIfChanged() {
        FileTime stamp;
        long size;
        try {
            stamp = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            if (crl != null || broken != null || loadedSize != 0) log.info("no revocation list at {}: no certificate is revoked", file);
            crl = null;
            broken = null;
            loadedSize = 0;
            loadedStamp = null;
            return;
        } catch (IOException e) {
            broken = e.toString();
            return;
        }
        if (stamp.equals(loadedStamp) && size == loadedSize) return;
        loadedStamp = stamp;
        loadedSize = size;
        try {
            X509CRL fresh = Pem.crl(file);
            fresh.verify(caKey);
            crl = fresh;
            broken = null;
            int n = fresh.getRevokedCertificates() == null ? 0 : fresh.getRevokedCertificates().size();
            log.info("revocation list {} loaded: {} certificates revoked", file, n);
        } catch (IOException | GeneralSecurityException e) {
            broken = e.getMessage();
            log.error("revocation list {} is unusable: {}; every peer is refused until it is fixed", file, e.getMessage());
        }
    }
}
