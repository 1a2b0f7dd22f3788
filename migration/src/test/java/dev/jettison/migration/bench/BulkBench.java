package dev.jettison.migration.bench;

import dev.jettison.migration.wire.Limits;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.WireSecurity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk transfer as reintegration does it: DirtyPages batches of random 4 KiB pages, as many as one
 * frame holds, from the server's side to the desktop's listener, which decodes every frame.
 * Prints MiB/s (best of three rounds after one warm-up).
 */
final class BulkBench {
    private BulkBench() {}

    static void run(WireSecurity desktopSide, WireSecurity serverSide, int mib) throws Exception {
        var hello = Message.Hello.of("bench", 1L << 30, 0, Role.SERVER);
        var limits = Limits.of(hello);
        int perFrame = new dev.jettison.migration.wire.Codec(limits).maxChunksPerFrame();
        Random r = new Random(3);
        List<Message.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < perFrame; i++) {
            byte[] page = new byte[4096];
            r.nextBytes(page);
            chunks.add(new Message.Chunk(i, page));
        }
        var batch = new Message.DirtyPages(chunks);
        long frames = (mib * 256L + perFrame - 1) / perFrame;
        double best = 0;
        for (int round = 0; round < 4; round++) {
            var received = new CompletableFuture<Long>();
            try (var l = TcpListener.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "bulk", t -> {
                t.limits(limits);
                t.readTimeout(java.time.Duration.ZERO);
                long pages = 0;
                for (long f = 0; f < frames; f++) pages += ((Message.DirtyPages) t.receive()).pages().size();
                t.send(new Message.Ack(pages));
                received.complete(pages);
            }, TcpListener.Options.DEFAULT.withSecurity(desktopSide));
                 var t = serverSide.connect(l.address(), 2000)) {
                t.limits(limits);
                long t0 = System.nanoTime();
                for (long f = 0; f < frames; f++) t.send(batch);
                t.receive();
                double secs = (System.nanoTime() - t0) / 1e9;
                double rate = received.get() * 4096.0 / (1 << 20) / secs;
                if (round > 0) best = Math.max(best, rate);
            }
        }
        System.out.printf("bulk: %d MiB of dirty-page batches (%d pages per frame): %.0f MiB/s (best of 3)%n", mib, perFrame, best);
    }
}
