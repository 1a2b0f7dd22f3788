package dev.jettison.cli.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that the desktop's local control API asks of every request: 256 random bits, new at
 * every daemon start, in a 0600 file in the daemon's state folder ({@code control.token}) and a
 * copy named after the control address ({@code ~/.cache/jettison/control/IP_PORT.token}), where
 * {@code jettison consolidate|reintegrate} find it. Only the desktop's user can read either, and
 * a web page cannot read files at all.
 */
public final class ControlToken {
    public static final String FILE = "control.token";
    /** The HTTP header carrying it: "Authorization: Bearer HEX". */
    public static final String HEADER = "Authorization";
    public static final String SCHEME = "Bearer ";
    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ControlToken() {}

    /** A fresh token written to {@code stateDir/control.token} and the copy for {@code bound}; returns it. */
    public static String create(Path stateDir, InetSocketAddress bound) throws IOException {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        write(stateDir.resolve(FILE), token);
        write(forAddress(bound.getAddress().getHostAddress() + ":" + bound.getPort()), token);
        return token;
    }

    /** Where the token of the desktop whose control API listens on {@code hostPort} (IP:PORT) is copied. */
    public static Path forAddress(String hostPort) {
        String base = System.getProperty("jettison.control.dir", System.getenv("JETTISON_CONTROL_DIR"));
        Path dir = base != null ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache", "jettison", "control");
        return dir.resolve(hostPort.replace(':', '_').replace('/', '_') + ".token");
    }

    /** Reads a token file; a missing or malformed one is an IOException naming the file. */
    public static String read(Path file) throws IOException {
        String t;
        try {
            t = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("no control token at " + file + " (is the desktop daemon running? else pass --token-file "
                    + "STATE_DIR/" + FILE + ")");
        }
        if (!t.matches("[0-9a-f]{" + 2 * BYTES + "}")) throw new IOException(file + " does not hold a control token");
        return t;
    }

    private static void write(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(dir, ".token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
