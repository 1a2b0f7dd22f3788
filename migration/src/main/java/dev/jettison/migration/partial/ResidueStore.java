package dev.jettison.migration.partial;

import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.Wire;
import dev.jettison.vmm.memory.RamBacking;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The desktop's state folder, which makes the residue outlive the desktop daemon: guest RAM as
 * a file ({@code ram}, mapped shared), and while the VM is away a record of that consolidation
 * ({@code away.properties}: VM, epoch, server, phase) with the descriptor captured at
 * consolidation ({@code away.descriptor}). A daemon that died while its VM was away finds them,
 * re-opens the VM exactly as it was paused, serves the same pages and blocks, and re-attaches.
 * Records are written to a temporary file, synced and renamed, so a crash leaves the old or the
 * new one, never half of one.
 */
public final class ResidueStore {
    static final String RAM = "ram";
    static final String AWAY = "away.properties";
    static final String DESCRIPTOR = "away.descriptor";

    private final Path dir;

    public ResidueStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path dir() { return dir; }

    /** Guest RAM in this folder: emptied for a new boot ({@code fresh}) or kept for a VM that is away. */
    public RamBacking ram(boolean fresh) {
        return new RamBacking.SharedFile(dir.resolve(RAM), fresh);
    }

    /** A consolidation under way: what a restarted daemon needs to take it up again. */
    public record Away(String vmId, SessionId session, InetSocketAddress server, DesktopState phase, byte[] descriptor) {
        public Away {
            if (!Wire.validVmId(vmId)) throw new IllegalArgumentException("VM id must be " + Wire.VM_ID_RULE + ": " + vmId);
            if (session.isNone()) throw new IllegalArgumentException("an away record needs an epoch");
            if (phase == DesktopState.LOCAL) throw new IllegalArgumentException("a VM that is LOCAL is not away");
        }

        Away in(DesktopState p) { return new Away(vmId, session, server, p, descriptor); }
    }

    /** Records that the VM is away (or on its way, or coming back). */
    public void saveAway(Away a) throws IOException {
        if (!Files.exists(dir.resolve(DESCRIPTOR)) || a.phase() == DesktopState.CONSOLIDATING) {
            writeAtomically(DESCRIPTOR, tmp -> Files.write(tmp, a.descriptor()));
        }
        var p = new Properties();
        p.setProperty("vm", a.vmId());
        p.setProperty("epoch", a.session().hex());
        p.setProperty("server", a.server().getHostString() + ":" + a.server().getPort());
        p.setProperty("phase", a.phase().name());
        writeAtomically(AWAY, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "jettison desktop: a consolidation under way; do not edit");
            }
        });
    }

    /** The VM is home: nothing of the consolidation remains to take up. */
    public void clearAway() throws IOException {
        Files.deleteIfExists(dir.resolve(AWAY));
        Files.deleteIfExists(dir.resolve(DESCRIPTOR));
    }

    /** The consolidation a previous daemon left under way, if any; a damaged record is refused naming the file. */
    public Optional<Away> loadAway() throws IOException {
        Path file = dir.resolve(AWAY);
        var p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            String vm = required(p, "vm");
            var epoch = SessionId.parse(required(p, "epoch"));
            String server = required(p, "server");
            int colon = server.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("server '" + server + "' is not HOST:PORT");
            var address = new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
            var phase = DesktopState.valueOf(required(p, "phase"));
            byte[] descriptor = Files.readAllBytes(dir.resolve(DESCRIPTOR));
            return Optional.of(new Away(vm, epoch, address, phase, descriptor));
        } catch (IllegalArgumentException | NoSuchFileException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("no '" + key + "'");
        return v.strip();
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    private void writeAtomically(String name, Content content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        content.writeTo(tmp);
        try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
