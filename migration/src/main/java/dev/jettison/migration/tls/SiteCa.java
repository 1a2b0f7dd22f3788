package dev.jettison.migration.tls;

import dev.jettison.migration.wire.PeerIdentity;
import dev.jettison.migration.wire.PeerRefusedException;
import dev.jettison.migration.wire.Role;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * A site's certificate authority on disk ({@code jettison keys}): it issues each desktop and
 * server an EC P-256 key and a certificate naming its role and, for a desktop, its VMs
 * ({@link CertificateNames}), and keeps the signed revocation list. Layout of the site folder:
 * <pre>
 *   ca.key  ca.pem  crl.pem                       the CA (ca.key never leaves this folder)
 *   hosts/NAME/key.pem cert.pem ca.pem crl.pem    what host NAME needs: its --tls-dir
 * </pre>
 * Every file is 0600. Revoking re-signs crl.pem and refreshes each host folder's copy; daemons
 * reload theirs when it changes.
 */
public final class SiteCa {
    public static final String CA_KEY = "ca.key", CA_CERT = "ca.pem", CRL = "crl.pem", HOSTS = "hosts";
    public static final String HOST_KEY = "key.pem", HOST_CERT = "cert.pem";
    /** A site CA outlives its hosts' certificates many times over. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration HOST_VALIDITY = Duration.ofDays(397);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final PrivateKey caKey;
    private final X509Certificate caCert;

    private SiteCa(Path dir, PrivateKey caKey, X509Certificate caCert) {
        this.dir = dir;
        this.caKey = caKey;
        this.caCert = caCert;
    }

    /** One issued certificate, for {@code keys list}. */
    public record Issued(String name, Role role, java.util.Set<String> vmIds, String serial, Instant notAfter, boolean revoked) {}

    /** Creates a new site CA in {@code dir}; refuses if one is there already. */
    public static SiteCa init(Path dir, String siteName) throws IOException {
        if (Files.exists(dir.resolve(CA_KEY))) throw new IOException("a site CA exists already in " + dir + " (" + CA_KEY + ")");
        try {
            KeyPair kp = newKeyPair();
            var subject = new X500Name("CN=" + siteName + " Jettison site CA");
            Instant now = Instant.now();
            var b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(CA_VALIDITY)), subject, kp.getPublic());
            var ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            Pem.write(dir.resolve(CA_KEY), kp.getPrivate());
            Pem.write(dir.resolve(CA_CERT), cert);
            var ca = new SiteCa(dir, kp.getPrivate(), cert);
            ca.writeCrl(List.of());
            return ca;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the site CA: " + e.getMessage(), e);
        }
    }

    public static SiteCa load(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(CA_KEY))) throw new IOException("no site CA in " + dir + " (run jettison keys init)");
        return new SiteCa(dir, Pem.privateKey(dir.resolve(CA_KEY)), Pem.certificate(dir.resolve(CA_CERT)));
    }

    public Path dir() { return dir; }

    public X509Certificate certificate() { return caCert; }

    public Path hostDir(String name) {
        CertificateNames.checkName("host name", name);
        return dir.resolve(HOSTS).resolve(name);
    }

    /** Issues a key and certificate valid from now for {@link #HOST_VALIDITY}; returns the host's folder. */
    public Path issue(Role role, String name, Collection<String> vmIds) throws IOException {
        Instant now = Instant.now();
        return issue(role, name, vmIds, now.minusSeconds(300), now.plus(HOST_VALIDITY));
    }

    /**
     * Issues host {@code name} a new key and a certificate for {@code role} (a desktop with the VMs
     * it owns), valid in [notBefore, notAfter], into {@link #hostDir}, with copies of the CA
     * certificate and the current revocation list. An earlier certificate of the same name stays
     * valid until revoked.
     */
    public Path issue(Role role, String name, Collection<String> vmIds, Instant notBefore, Instant notAfter) throws IOException {
        if (role == Role.SERVER && !vmIds.isEmpty()) throw new IllegalArgumentException("a server's certificate lists no VMs");
        if (role == Role.DESKTOP && vmIds.isEmpty()) throw new IllegalArgumentException("a desktop's certificate lists its VMs (--vm ID)");
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, CertificateNames.roleUri(role, name)));
        for (String vm : vmIds) names.add(new GeneralName(GeneralName.uniformResourceIdentifier, CertificateNames.vmUri(vm)));
        Path host = hostDir(name);
        try {
            KeyPair kp = newKeyPair();
            var subject = new X500Name("CN=" + name + ", OU=" + role.name().toLowerCase());
            var b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
            var ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            // Every host is both ends: a desktop dials the server's control port and serves memserv.
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate cert = sign(b, caKey);
            Pem.write(host.resolve(HOST_KEY), kp.getPrivate());
            Pem.write(host.resolve(HOST_CERT), cert);
            Pem.write(host.resolve(CA_CERT), caCert);
            Files.copy(dir.resolve(CRL), host.resolve(CRL), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return host;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
        }
    }

    /** Revokes host {@code name}'s current certificate; returns its serial number. */
    public String revoke(String name) throws IOException {
        X509Certificate cert = Pem.certificate(hostDir(name).resolve(HOST_CERT));
        X509CRL crl = Pem.crl(dir.resolve(CRL));
        if (crl.isRevoked(cert)) throw new IOException(name + "'s certificate " + CertificateNames.serial(cert) + " is revoked already");
        List<BigInteger> serials = new ArrayList<>();
        if (crl.getRevokedCertificates() != null) crl.getRevokedCertificates().forEach(e -> serials.add(e.getSerialNumber()));
        serials.add(cert.getSerialNumber());
        writeCrl(serials);
        try (var hosts = Files.list(dir.resolve(HOSTS))) {
            for (Path h : hosts.filter(Files::isDirectory).toList()) {
                Files.copy(dir.resolve(CRL), h.resolve(CRL), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return CertificateNames.serial(cert);
    }

    /** Every host certificate in this site's folder. */
    public List<Issued> list() throws IOException {
        X509CRL crl = Pem.crl(dir.resolve(CRL));
        List<Issued> out = new ArrayList<>();
        Path hosts = dir.resolve(HOSTS);
        if (!Files.isDirectory(hosts)) return out;
        try (var s = Files.list(hosts)) {
            for (Path h : s.filter(p -> Files.exists(p.resolve(HOST_CERT))).sorted().toList()) {
                X509Certificate c = Pem.certificate(h.resolve(HOST_CERT));
                PeerIdentity id;
                try {
                    id = CertificateNames.identityOf(c);
                } catch (PeerRefusedException e) {
                    throw new IOException(h + ": " + e.getMessage(), e);
                }
                out.add(new Issued(id.name(), id.role(), id.vmIds(), CertificateNames.serial(c), c.getNotAfter().toInstant(),
                        crl.isRevoked(c)));
            }
        }
        return out;
    }

    private void writeCrl(List<BigInteger> revoked) throws IOException {
        try {
            Date now = new Date();
            var b = new JcaX509v2CRLBuilder(caCert, now);
            for (BigInteger s : revoked) b.addCRLEntry(s, now, CRLReason.unspecified);
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(System.currentTimeMillis())));
            X509CRLHolder h = b.build(new JcaContentSignerBuilder(SIGNATURE).build(caKey));
            Pem.write(dir.resolve(CRL), new JcaX509CRLConverter().getCRL(h));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot sign the revocation list: " + e.getMessage(), e);
        }
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /** 127 random bits: unique without a counter to keep, positive as RFC 5280 asks. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(120);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }
}
