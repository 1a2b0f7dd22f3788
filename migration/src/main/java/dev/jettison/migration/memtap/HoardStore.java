package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.HoardHistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one VM's hoard history (§3.4: "the pages that previous consolidations of the same VM
 * needed") on the server's disk, so hoarding still works after the server restarts. A text file:
 * a header with the format version and the number of consolidations, then one
 * {@code page,consolidations,last} line per page. Written to a temporary file and renamed, so a
 * crash mid-write leaves the previous history.
 */
public final class HoardStore {
    static final String HEADER = "# jettison hoard history v1 consolidations=";

    private final Path file;

    public HoardStore(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    /** The stored history, or an empty one if none was stored yet. */
    public HoardHistory load() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return new HoardHistory();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not a hoard history (not ASCII text)", e);
        }
        if (lines.isEmpty() || !lines.getFirst().startsWith(HEADER)) {
            throw new IOException(file + ": not a hoard history (first line must start with '" + HEADER + "')");
        }
        try {
            int consolidations = Integer.parseInt(lines.getFirst().substring(HEADER.length()).trim());
            List<HoardHistory.Entry> entries = new ArrayList<>(lines.size() - 1);
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != 3) throw new IOException(file + " line " + (i + 1) + ": expected page,consolidations,last: '" + line + "'");
                try {
                    entries.add(new HoardHistory.Entry(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            return HoardHistory.restore(consolidations, entries, HoardHistory.DEFAULT_MAX_PAGES);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public void save(HoardHistory history) throws IOException {
        var sb = new StringBuilder(HEADER).append(history.consolidations()).append('\n');
        for (var e : history.entries()) {
            sb.append(e.page()).append(',').append(e.consolidations()).append(',').append(e.lastConsolidation()).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
