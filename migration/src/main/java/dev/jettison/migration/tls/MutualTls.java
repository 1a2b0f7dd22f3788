package dev.jettison.migration.tls;

import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.PeerIdentity;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.TcpTransport;
import dev.jettison.migration.wire.Transport;
import dev.jettison.migration.wire.WireSecurity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * TLS 1.3 with mutual authentication under the site CA, through the JDK's SSLSocket layered on
 * the connected TCP socket, for every channel of partial migration. Both ends present their
 * host certificate; each trusts only the site CA ({@link SiteTrust}) and learns the other's
 * {@link PeerIdentity}, which the protocol then binds to what the peer asks for (its role, its VMs).
 */
public final class MutualTls implements WireSecurity {
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final SSLSocketFactory factory;
    private final SiteTrust trust;
    private final PeerIdentity self;

    private MutualTls(SSLSocketFactory factory, SiteTrust trust, PeerIdentity self) {
        this.factory = factory;
        this.trust = trust;
        this.self = self;
    }

    /**
     * Loads a host folder written by {@code jettison keys issue}: {@code key.pem}, {@code cert.pem},
     * {@code ca.pem} and (reloaded when it changes) {@code crl.pem}.
     */
    public static MutualTls load(Path hostDir) throws IOException {
        return load(hostDir.resolve(SiteCa.HOST_KEY), hostDir.resolve(SiteCa.HOST_CERT), hostDir.resolve(SiteCa.CA_CERT),
                hostDir.resolve(SiteCa.CRL));
    }

    public static MutualTls load(Path keyFile, Path certFile, Path caFile, Path crlFile) throws IOException {
        PrivateKey key = Pem.privateKey(keyFile);
        X509Certificate cert = Pem.certificate(certFile);
        X509Certificate ca = Pem.certificate(caFile);
        PeerIdentity self;
        try {
            self = CertificateNames.identityOf(cert);
            cert.verify(ca.getPublicKey());
        } catch (PeerRefusedException | GeneralSecurityException e) {
            throw new IOException(certFile + " is not a host certificate of the CA in " + caFile + ": " + e.getMessage(), e);
        }
        try {
            var keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] pass = new char[0];
            keys.setKeyEntry("host", key, pass, new X509Certificate[]{cert, ca});
            var kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, pass);
            var trust = new SiteTrust(ca, new RevocationList(crlFile, ca.getPublicKey()));
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[]{trust}, null);
            return new MutualTls(ctx.getSocketFactory(), trust, self);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot set up TLS with " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** Who this host is, by its own certificate. */
    public PeerIdentity self() { return self; }

    @Override
    public Transport client(Socket connected, Duration handshakeTimeout) throws IOException {
        var a = (InetSocketAddress) connected.getRemoteSocketAddress();
        var s = (SSLSocket) factory.createSocket(connected, a.getHostString(), a.getPort(), true);
        s.setUseClientMode(true);
        return handshake(s, handshakeTimeout);
    }

    @Override
    public Transport server(Socket accepted, Duration handshakeTimeout) throws IOException {
        var s = (SSLSocket) factory.createSocket(accepted, null, true);
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        return handshake(s, handshakeTimeout);
    }

    private Transport handshake(SSLSocket s, Duration timeout) throws IOException {
        s.setEnabledProtocols(PROTOCOLS);
        int before = s.getSoTimeout();
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try {
            s.startHandshake();
            var chain = s.getSession().getPeerCertificates();
            var certs = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) certs[i] = (X509Certificate) chain[i];
            // Again on the session itself: a resumed session skips the trust manager, and the list may have changed.
            trust.checkHost(certs);
            PeerIdentity peer = CertificateNames.identityOf(certs[0]);
            s.setSoTimeout(before);
            return new TcpTransport(s, Limits.beforeHello(), peer);
        } catch (SSLPeerUnverifiedException | CertificateException e) {
            s.close();
            throw new PeerRefusedException("no valid certificate of the site CA: " + e.getMessage(), e);
        } catch (SSLException e) {
            s.close();
            throw new PeerRefusedException("TLS handshake failed: " + e.getMessage(), e);
        } catch (java.net.SocketException e) {
            // The peer closed mid-handshake: in TLS 1.3 that is how a refused client certificate
            // usually shows on the client (otherwise the alert arrives at its first read).
            s.close();
            throw new PeerRefusedException("the peer closed the connection during the TLS handshake (did it refuse this"
                    + " host's certificate?): " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public boolean authenticates() { return true; }

    @Override
    public String toString() { return "mutual TLS 1.3 as " + self.describe(); }
}
