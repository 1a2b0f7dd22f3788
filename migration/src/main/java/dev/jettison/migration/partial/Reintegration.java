package dev.jettison.migration.partial;

import dev.jettison.migration.memserv.PageServer;
import dev.jettison.migration.wire.Message;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import dev.jettison.vmm.snapshot.MachineState;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One reintegration as it arrives at the desktop: collected whole, then checked (counts, one
 * descriptor that decodes and fits this VM, every page inside its RAM and every block inside its
 * disk, nothing twice), and only then applied to the residue. A reintegration that is cut short
 * or fails a check changes nothing, so the desktop can ask again.
 */
final class Reintegration {
    private final String vmId;
    private final VirtualMachine vm;
    private final Path diskImage;
    private byte[] descriptor;
    private MachineState state;
    private final List<Message.Chunk> pages = new ArrayList<>();
    private final List<Message.Chunk> blocks = new ArrayList<>();
    private Message.ServerStats stats;

    Reintegration(String vmId, VirtualMachine vm, Path diskImage) {
        this.vmId = vmId;
        this.vm = vm;
        this.diskImage = diskImage;
    }

    /**
     * Takes one message of the reintegration; true once all of it arrived and checked out. Throws
     * naming what is wrong with it otherwise.
     */
    boolean accept(Message m) throws IOException, DescriptorException {
        switch (m) {
            case Message.Descriptor d -> {
                if (descriptor != null) throw new IOException("a second descriptor in one reintegration");
                descriptor = d.bytes();
            }
            case Message.DirtyPages d -> pages.addAll(d.pages());
            case Message.DirtyBlocks d -> blocks.addAll(d.blocks());
            case Message.ServerStats s -> stats = s;
            case Message.ReintegrateDone d -> {
                check(d);
                return true;
            }
            default -> throw new IOException("unexpected " + m.getClass().getSimpleName() + " from the server");
        }
        return false;
    }

    private void check(Message.ReintegrateDone done) throws IOException, DescriptorException {
        if (descriptor == null || done.pages() != pages.size() || done.blocks() != blocks.size()) {
            throw new IOException("incomplete reintegration: server counted " + done.pages() + " pages and " + done.blocks()
                    + " blocks, received " + pages.size() + " and " + blocks.size() + (descriptor == null ? " and no descriptor" : ""));
        }
        state = DescriptorCodec.decode(descriptor);
        if (state.memBytes() != vm.memory().ramBytes() || state.cpus() != vm.config().cpus()) {
            throw new DescriptorException("descriptor is for " + state.memBytes() + " RAM bytes and " + state.cpus()
                    + " vCPUs; VM " + vmId + " has " + vm.memory().ramBytes() + " and " + vm.config().cpus());
        }
        long ramPages = vm.memory().ramBytes() / 4096;
        checkUnique(pages, ramPages, "page");
        long diskBlocks = diskImage == null ? 0 : (diskImage.toFile().length() + 4095) / 4096;
        checkUnique(blocks, diskBlocks, "block");
    }

    private static void checkUnique(List<Message.Chunk> chunks, long limit, String what) throws IOException {
        var seen = new HashSet<Long>();
        for (var c : chunks) {
            if (c.number() >= limit) throw new IOException("dirty " + what + " " + c.number() + " lies beyond the VM's " + limit + " " + what + "s");
            if (!seen.add(c.number())) throw new IOException("dirty " + what + " " + c.number() + " arrived twice");
        }
    }

    /**
     * Writes the checked state into the residue: disk blocks first (the only step that can fail
     * on I/O, before anything in RAM changed), then pages, then vCPU and device state. Applying
     * the same reintegration twice gives the same residue, so one that failed here can be asked
     * for again.
     */
    void apply() throws IOException {
        if (state == null) throw new IllegalStateException("reintegration not complete");
        if (!blocks.isEmpty()) {
            try (var f = new RandomAccessFile(diskImage.toFile(), "rw")) {
                long size = f.length();
                for (var c : blocks) {
                    // The last block of an image that is not a whole number of blocks is partly beyond it.
                    int n = (int) Math.min(4096, size - c.number() * 4096);
                    f.seek(c.number() * 4096);
                    f.write(c.isZero() ? new byte[4096] : c.data(), 0, n);
                }
                f.getFD().sync();
            }
        }
        var ram = vm.ram().segment();
        for (var c : pages) {
            var dst = ram.asSlice(c.number() * 4096, 4096);
            if (c.isZero()) dst.fill((byte) 0);
            else MemorySegment.copy(c.data(), 0, dst, JAVA_BYTE, 0, 4096);
        }
        vm.applyState(state);
    }

    MigrationReport report(long descriptorBytes, long consolidationMillis, long reintegrationMillis, PageServer.Stats ps) {
        var s = stats;
        return new MigrationReport(vmId, descriptorBytes, consolidationMillis, reintegrationMillis,
                s == null ? ps.pages() : s.demandPages(), s == null ? ps.zeroPages() : s.zeroPages(),
                s == null ? 0 : s.prefetchedPages(), s == null ? 0 : s.blocksFetched(), pages.size(), blocks.size(),
                s == null ? 0 : s.faultP50Nanos() / 1000.0, s == null ? 0 : s.faultP99Nanos() / 1000.0,
                s == null ? 0 : s.rssBytes());
    }
}
