package dev.jettison.migration.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

/**
 * Keys, certificates and CRLs as PEM files, through Bouncy Castle's PEM reader and writer. Every
 * file is written 0600 and moved into place whole, so a reader never sees half a key.
 */
final class Pem {
    private Pem() {}

    static void write(Path file, Object value) throws IOException {
        var text = new StringWriter();
        try (var w = new JcaPEMWriter(text)) {
            w.writeObject(value instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : value);
        }
        writePrivate(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code bytes} to {@code file} with mode 0600 from the first byte on. */
    static void writePrivate(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // Folders holding keys are the owner's alone too (only those created here).
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Object read(Path file, String what) throws IOException {
        try (var p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object o = p.readObject();
            if (o == null) throw new IOException(file + " holds no PEM " + what);
            return o;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no " + what + " at " + file, e);
        } catch (RuntimeException e) {
            // Bouncy Castle reports some malformed PEM as runtime exceptions.
            throw new IOException(file + " is not a PEM " + what + ": " + e.getMessage(), e);
        }
    }

    static X509Certificate certificate(Path file) throws IOException {
        if (!(read(file, "certificate") instanceof X509CertificateHolder h)) throw new IOException(file + " is not a PEM certificate");
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": unusable certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        var converter = new JcaPEMKeyConverter();
        return switch (read(file, "private key")) {
            case PrivateKeyInfo info -> converter.getPrivateKey(info);
            case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
            default -> throw new IOException(file + " is not a PEM private key");
        };
    }

    static X509CRL crl(Path file) throws IOException {
        if (!(read(file, "revocation list") instanceof X509CRLHolder h)) throw new IOException(file + " is not a PEM CRL");
        try {
            return new JcaX509CRLConverter().getCRL(h);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": unusable revocation list: " + e.getMessage(), e);
        }
    }
}
