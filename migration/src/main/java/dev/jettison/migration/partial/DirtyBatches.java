package dev.jettison.migration.partial;

import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams dirty 4 KiB units as DirtyPages or DirtyBlocks frames of at most {@link #BATCH} each,
 * all-zero units as markers. One loop for both kinds: pages first, then blocks.
 */
final class DirtyBatches {
    /** Units per frame: 256 x 4 KiB stays well under the 8 MiB frame limit. */
    static final int BATCH = 256;

    private final Transport t;
    private final List<Message.Chunk> batch = new ArrayList<>(BATCH);
    private boolean blocks;

    DirtyBatches(Transport t) {
        this.t = t;
    }

    void page(long number, byte[] data) throws IOException {
        add(false, number, data);
    }

    void block(long number, byte[] data) throws IOException {
        add(true, number, data);
    }

    private void add(boolean block, long number, byte[] data) throws IOException {
        if (block != blocks) {
            flush();
            blocks = block;
        }
        batch.add(chunk(number, data));
        if (batch.size() == BATCH) flush();
    }

    void flush() throws IOException {
        if (batch.isEmpty()) return;
        var chunks = List.copyOf(batch);
        t.send(blocks ? new Message.DirtyBlocks(chunks) : new Message.DirtyPages(chunks));
        batch.clear();
    }

    private static Message.Chunk chunk(long number, byte[] data) {
        for (byte b : data) if (b != 0) return new Message.Chunk(number, data);
        return new Message.Chunk(number, null);
    }
}
