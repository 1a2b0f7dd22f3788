package dev.jettison.vmm.devices.serial;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends console output to a log file. Flushed at every line end so a reader tailing the
 * log (or a post-mortem after the VMM dies) sees whole lines without waiting for close.
 */
public final class FileConsoleSink implements ConsoleSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileConsoleSink.class);
    private final Path path;
    private final OutputStream out;
    private boolean failed;

    public FileConsoleSink(Path path) {
        this.path = path;
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(path,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open console log " + path, e);
        }
    }

    public Path path() { return path; }

    @Override
    public synchronized void accept(byte b) {
        if (failed) return;
        try {
            out.write(b);
            if (b == '\n') out.flush();
        } catch (IOException e) {
            // A full disk must not stop the guest: the console log is a convenience.
            failed = true;
            LOG.warn("console log {} stopped: {}", path, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing console log " + path, e);
        }
    }
}
