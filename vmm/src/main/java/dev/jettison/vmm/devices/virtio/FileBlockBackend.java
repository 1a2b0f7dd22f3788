package dev.jettison.vmm.devices.virtio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file. The capacity is the file size rounded down to whole sectors; a
 * trailing partial sector is invisible to the guest.
 */
public final class FileBlockBackend implements BlockBackend {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long capacitySectors;

    public FileBlockBackend(Path path, boolean readOnly) throws IOException {
        this.path = path;
        this.readOnly = readOnly;
        this.channel = readOnly
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.capacitySectors = channel.size() / SECTOR_SIZE;
    }

    public Path path() { return path; }

    @Override
    public long capacitySectors() { return capacitySectors; }

    @Override
    public boolean readOnly() { return readOnly; }

    @Override
    public void read(long sector, MemorySegment dst) throws IOException {
        ByteBuffer buf = dst.asByteBuffer();
        long pos = sector * SECTOR_SIZE;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                // The file shrank under us: what is not there reads as zeros rather than stale guest data.
                dst.asSlice(buf.position()).fill((byte) 0);
                return;
            }
            pos += n;
        }
    }

    @Override
    public void write(long sector, MemorySegment src) throws IOException {
        if (readOnly) throw new IOException(path + " is read-only");
        ByteBuffer buf = src.asByteBuffer();
        long pos = sector * SECTOR_SIZE;
        while (buf.hasRemaining()) pos += channel.write(buf, pos);
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) channel.force(false);
    }

    @Override
    public void close() throws IOException { channel.close(); }

    @Override
    public String toString() { return path + (readOnly ? " (read-only)" : ""); }
}
