package dev.jettison.migration.cownetdisk;

import dev.jettison.migration.diskserv.BlockServer;
import dev.jettison.migration.memtap.Backoff;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** cownetdisk against diskserv over loopback TCP, checked byte for byte against a model of the disk. */
class CowNetDiskTest {
    static final int SECTOR = 512, BLOCK = 4096;
    /** 4 MiB and three sectors: the last 4 KiB block is partial. */
    static final int SIZE = (4 << 20) + 3 * SECTOR;
    static final int BLOCKS = (SIZE + BLOCK - 1) / BLOCK;

    @TempDir Path tmp;
    Path image;
    byte[] source;
    TcpListener diskserv;
    final AtomicInteger connects = new AtomicInteger();

    @BeforeEach
    void desktop() throws IOException {
        source = new byte[SIZE];
        Random r = new Random(77);
        r.nextBytes(source);
        for (int b = 0; b < BLOCKS; b += 5) Arrays.fill(source, b * BLOCK, Math.min(SIZE, (b + 1) * BLOCK), (byte) 0);
        image = tmp.resolve("desktop.img");
        Files.write(image, source);
        var server = new BlockServer("vm-d", image);
        server.open(SESSION);
        diskserv = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        diskserv.close();
    }

    Connector desktopLink() {
        Connector tcp = Connector.tcp(diskserv.address(), 1000);
        return () -> {
            connects.incrementAndGet();
            return tcp.connect();
        };
    }

    /** The epoch these tests consolidate in. */
    static final SessionId SESSION = new SessionId(0xd15c, 7);

    static StateSource source(Connector c) {
        return StateSource.of("vm-d", SESSION, c);
    }

    CowNetDisk open() throws IOException {
        return CowNetDisk.open(tmp.resolve("server"), source(desktopLink()), SIZE);
    }

    static byte[] read(CowNetDisk d, long sector, int sectors) throws IOException {
        byte[] out = new byte[sectors * SECTOR];
        d.read(sector, MemorySegment.ofArray(out));
        return out;
    }

    static void write(CowNetDisk d, long sector, byte[] data) throws IOException {
        d.write(sector, MemorySegment.ofArray(data));
    }

    @Test
    void readsAreByteExactIncludingUnalignedMultiBlockAndThePartialLastBlock() throws IOException {
        try (var d = open()) {
            assertEquals(SIZE / SECTOR, d.capacitySectors());
            Random r = new Random(1);
            for (int i = 0; i < 300; i++) {
                int sectors = 1 + r.nextInt(40);
                long sector = r.nextLong(SIZE / SECTOR - sectors + 1);
                assertArrayEquals(Arrays.copyOfRange(source, (int) sector * SECTOR, (int) (sector + sectors) * SECTOR),
                        read(d, sector, sectors), "read of " + sectors + " sectors at " + sector);
            }
            assertArrayEquals(Arrays.copyOfRange(source, SIZE - 3 * SECTOR, SIZE), read(d, SIZE / SECTOR - 3, 3));
            assertArrayEquals(source, read(d, 0, SIZE / SECTOR));
            var s = d.stats();
            assertEquals(BLOCKS, s.fetchedBlocks(), "each block fetched exactly once");
            assertTrue(s.zeroBlocks() >= BLOCKS / 5, "zero blocks arrive as markers: " + s);
            assertEquals(1, s.connects());
            assertEquals(0, d.dirtyBlocks().length, "reads dirty nothing");
        }
    }

    @Test
    void oneRequestPerRunOfMissingBlocks() throws IOException {
        try (var d = open()) {
            read(d, 8 * 3, 8);                      // block 3
            read(d, 8 * 5, 8);                      // block 5
            long before = d.stats().fetchRequests();
            read(d, 8 * 2, 8 * 6);                  // blocks 2..7: missing runs {2}, {4}, {6,7}
            assertEquals(3, d.stats().fetchRequests() - before);
            assertEquals(6, d.stats().fetchedBlocks());
        }
    }

    @Test
    void writesThenReadsMatchAModelOfTheDisk() throws IOException {
        byte[] model = source.clone();
        Random r = new Random(2);
        try (var d = open()) {
            for (int i = 0; i < 400; i++) {
                int sectors = 1 + r.nextInt(24);
                long sector = r.nextLong(SIZE / SECTOR - sectors + 1);
                if (r.nextBoolean()) {
                    byte[] data = new byte[sectors * SECTOR];
                    r.nextBytes(data);
                    write(d, sector, data);
                    System.arraycopy(data, 0, model, (int) sector * SECTOR, data.length);
                } else {
                    assertArrayEquals(Arrays.copyOfRange(model, (int) sector * SECTOR, (int) (sector + sectors) * SECTOR),
                            read(d, sector, sectors), "read of " + sectors + " at " + sector + " after writes");
                }
            }
            assertArrayEquals(model, read(d, 0, SIZE / SECTOR));
        }
    }

    @Test
    void wholeBlockWritesFetchNothing() throws IOException {
        try (var d = open()) {
            byte[] blocks = new byte[8 * BLOCK];
            new Random(3).nextBytes(blocks);
            write(d, 8 * 10, blocks);                          // blocks 10..17, aligned
            byte[] tail = new byte[3 * SECTOR];
            new Random(4).nextBytes(tail);
            write(d, SIZE / SECTOR - 3, tail);                 // the whole of the partial last block
            assertArrayEquals(blocks, read(d, 8 * 10, 8 * 8));
            assertArrayEquals(tail, read(d, SIZE / SECTOR - 3, 3));
            assertEquals(0, d.stats().fetchRequests());
            assertEquals(0, connects.get(), "never even connected to the desktop");
            assertEquals(9, d.stats().promotions());
        }
    }

    @Test
    void aPartialWriteFetchesItsBlockOnceAndKeepsTheRest() throws IOException {
        try (var d = open()) {
            byte[] one = new byte[SECTOR];
            Arrays.fill(one, (byte) 0x5A);
            write(d, 8 * 21 + 3, one);                          // sector 3 of block 21
            assertEquals(1, d.stats().fetchRequests());
            write(d, 8 * 21 + 5, one);                          // again, same block
            byte[] got = read(d, 8 * 21, 8);
            assertEquals(1, d.stats().fetchRequests(), "a dirty block is never fetched again");
            byte[] want = Arrays.copyOfRange(source, 21 * BLOCK, 22 * BLOCK);
            System.arraycopy(one, 0, want, 3 * SECTOR, SECTOR);
            System.arraycopy(one, 0, want, 5 * SECTOR, SECTOR);
            assertArrayEquals(want, got);
            assertEquals(BlockState.DIRTY, d.state(21));
            // Unaligned write across blocks 30..32: 30 and 32 partial (fetched), 31 whole (not fetched).
            byte[] span = new byte[BLOCK + 4 * SECTOR];
            new Random(5).nextBytes(span);
            write(d, 8 * 30 + 6, span);
            assertEquals(3, d.stats().fetchRequests(), "only the two partial blocks were fetched");
            assertEquals(3, d.stats().fetchedBlocks());
        }
    }

    @Test
    void theDirtyListIsExactlyTheWrittenBlocks() throws IOException {
        var expected = new TreeSet<Long>();
        Random r = new Random(6);
        try (var d = open()) {
            for (int i = 0; i < 100; i++) {
                int sectors = 1 + r.nextInt(20);
                long sector = r.nextLong(SIZE / SECTOR - sectors + 1);
                if (r.nextInt(3) == 0) {
                    read(d, sector, sectors);
                    continue;
                }
                write(d, sector, new byte[sectors * SECTOR]);
                for (long b = sector * SECTOR / BLOCK; b <= ((sector + sectors) * SECTOR - 1) / BLOCK; b++) expected.add(b);
            }
            assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), d.dirtyBlocks());
            for (long b : d.dirtyBlocks()) assertEquals(BLOCK, d.readBlock(b).length);
        }
    }

    @Test
    void slicesAndBitmapSurviveARestartWithoutRefetching() throws IOException {
        byte[] model = source.clone();
        Random r = new Random(8);
        var touched = new TreeSet<Long>();
        long[] dirtyBefore;
        try (var d = open()) {
            for (int i = 0; i < 60; i++) {
                int sectors = 1 + r.nextInt(16);
                long sector = r.nextLong(SIZE / SECTOR - sectors + 1);
                if (r.nextBoolean()) {
                    byte[] data = new byte[sectors * SECTOR];
                    r.nextBytes(data);
                    write(d, sector, data);
                    System.arraycopy(data, 0, model, (int) sector * SECTOR, data.length);
                } else {
                    read(d, sector, sectors);
                }
                for (long b = sector * SECTOR / BLOCK; b <= ((sector + sectors) * SECTOR - 1) / BLOCK; b++) touched.add(b);
            }
            d.flush();
            dirtyBefore = d.dirtyBlocks();
        }
        diskserv.close(); // the desktop is gone: nothing may be fetched again
        var attempts = new AtomicInteger();
        Connector dead = () -> {
            attempts.incrementAndGet();
            throw new IOException("desktop asleep");
        };
        try (var d = CowNetDisk.open(tmp.resolve("server"), source(dead), SIZE)) {
            assertArrayEquals(dirtyBefore, d.dirtyBlocks());
            for (long b : touched) {
                int len = (int) Math.min(BLOCK, SIZE - b * BLOCK);
                assertArrayEquals(Arrays.copyOfRange(model, (int) b * BLOCK, (int) b * BLOCK + len),
                        read(d, b * 8, len / SECTOR), "block " + b + " after the restart");
            }
            assertEquals(0, attempts.get(), "no block was fetched again");
            assertEquals(0, d.stats().fetchedBlocks());
        }
    }

    @Test
    void aCorruptBitmapIsRefusedWithItsName() throws IOException {
        try (var d = open()) {
            read(d, 0, 8);
        }
        Path bm = tmp.resolve("server").resolve(CowNetDisk.BITMAP);
        byte[] b = Files.readAllBytes(bm);
        b[30] ^= 1;
        Files.write(bm, b);
        var e = assertThrows(IOException.class, () -> open());
        assertTrue(e.getMessage().contains("blocks.bitmap") && e.getMessage().contains("checksum"), e.getMessage());
        var wrongSize = assertThrows(IOException.class,
                () -> CowNetDisk.open(tmp.resolve("server"), source(desktopLink()), SIZE - SECTOR));
        assertTrue(wrongSize.getMessage().contains("blocks.bitmap"), wrongSize.getMessage());
    }

    @Test
    void requestsOutsideTheDiskAreRefusedClearly() throws IOException {
        try (var d = open()) {
            var past = assertThrows(IOException.class, () -> read(d, SIZE / SECTOR - 1, 2));
            assertTrue(past.getMessage().contains("runs past"), past.getMessage());
            assertThrows(IOException.class, () -> d.write(-1, MemorySegment.ofArray(new byte[SECTOR])));
            var odd = assertThrows(IOException.class, () -> d.read(0, MemorySegment.ofArray(new byte[100])));
            assertTrue(odd.getMessage().contains("512"), odd.getMessage());
        }
    }

    @Test
    void anUnreachableDesktopMakesTheReadWaitThenSucceed() throws Exception {
        int port = diskserv.port();
        diskserv.close();
        var wakes = new AtomicInteger();
        var opts = CowNetDisk.Options.defaults().withWaker(wakes::incrementAndGet)
                .withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)));
        try (var d = CowNetDisk.open(tmp.resolve("server"), source(desktopLink()), SIZE, opts)) {
            var result = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(read(d, 8 * 40, 8));
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            });
            Thread.sleep(300);
            assertFalse(result.isDone());
            assertTrue(wakes.get() >= 2);
            var server = new BlockServer("vm-d", image);
            server.open(SESSION);
            diskserv = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertArrayEquals(Arrays.copyOfRange(source, 40 * BLOCK, 41 * BLOCK), result.get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /**
     * A Hello the desktop refuses (another size, another epoch) is never served wrong data: the read
     * fails at once, the epoch counts as ended, and the owner is told so it can drop the orphan.
     */
    @Test
    void aRefusedHelloEndsTheEpochAndNothingIsRead() throws Exception {
        var ended = new AtomicInteger();
        for (var asked : new StateSource[]{new StateSource("vm-d", SESSION, desktopLink(), ended::incrementAndGet),
                new StateSource("vm-d", new SessionId(1, 1), desktopLink(), ended::incrementAndGet)}) {
            long size = asked.session().equals(SESSION) ? SIZE - SECTOR : SIZE;
            try (var d = CowNetDisk.open(tmp.resolve("other-" + size), asked, size,
                    CowNetDisk.Options.defaults().withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20))))) {
                assertThrows(dev.jettison.migration.wire.SessionEndedException.class, () -> read(d, 0, 8));
                assertThrows(dev.jettison.migration.wire.SessionEndedException.class, () -> read(d, 8, 8),
                        "an ended epoch stays ended");
            }
        }
        assertEquals(2, ended.get());
    }

    /**
     * A desktop that accepts connections and never answers the Hello: the guest's read waits (the
     * desktop may be waking), retrying within its timeout, and close() still returns at once.
     */
    @Test
    void aDesktopThatAcceptsAndNeverAnswersHoldsNothingOnClose() throws Exception {
        try (var mute = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var held = new java.util.concurrent.CopyOnWriteArrayList<java.net.Socket>();
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        held.add(mute.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            var opts = new CowNetDisk.Options(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)),
                    dev.jettison.migration.memtap.DesktopWaker.NONE, Duration.ofMillis(300),
                    dev.jettison.migration.memtap.FaultTrace.NONE);
            var d = CowNetDisk.open(tmp.resolve("mute"), source(Connector.tcp(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), mute.getLocalPort()), 1000)), SIZE, opts);
            var result = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(read(d, 0, 8));
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            });
            Thread.sleep(1000);
            assertFalse(result.isDone(), "the read waits for the desktop");
            assertTrue(held.size() >= 2, "each silent Hello was given up after the timeout and tried again: " + held.size());
            long t0 = System.nanoTime();
            d.close();
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "close() returned in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> result.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
            for (var sock : held) sock.close();
        }
    }
}
