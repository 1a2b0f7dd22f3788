package dev.jettison.migration.tls;

import dev.jettison.migration.wire.PeerRefusedException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts exactly the site CA: a peer's chain must validate to it (the JDK's PKIX checks, with
 * the certificate's validity dates), its certificate must not be on the revocation list, and it
 * must name a Jettison role. Anything else fails the handshake, so such a peer gets nothing but a
 * TLS alert.
 */
final class SiteTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final X509Certificate ca;
    private final RevocationList revocations;

    SiteTrust(X509Certificate ca, RevocationList revocations) throws GeneralSecurityException {
        this.ca = ca;
        this.revocations = revocations;
        var store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setCertificateEntry("site-ca", ca);
        var tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        X509ExtendedTrustManager found = null;
        for (var tm : tmf.getTrustManagers()) if (tm instanceof X509ExtendedTrustManager x) found = x;
        if (found == null) throw new GeneralSecurityException("the JDK offers no PKIX trust manager");
        this.pkix = found;
    }

    /** Revocation and role: checked at the handshake and again on every session, resumed or not. */
    void checkHost(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("no certificate");
        revocations.check(chain[0]);
        try {
            CertificateNames.identityOf(chain[0]);
        } catch (PeerRefusedException e) {
            throw new CertificateException(e.getMessage());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        checkHost(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        checkHost(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        checkHost(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        checkHost(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkHost(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkHost(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[]{ca};
    }
}
