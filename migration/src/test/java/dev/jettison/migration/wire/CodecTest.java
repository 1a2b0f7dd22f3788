package dev.jettison.migration.wire;

import dev.jettison.migration.wire.Message.*;
import dev.jettison.migration.wire.ProtocolException.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

class CodecTest {
    static final long RAM = 64L << 20;
    static final long DISK = (16L << 20) + 512; // a partial last block
    static final Hello HELLO = Hello.of("vm-1", RAM, DISK, Role.SERVER);
    final Codec codec = new Codec(Limits.of(HELLO));

    static byte[] page(int seed) {
        byte[] b = new byte[Wire.PAGE_SIZE];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<Message> everyMessage() {
        return List.of(
                HELLO,
                Hello.of("desk.top-7", new SessionId(-1, 0x0123_4567_89ab_cdefL), 0, 0, Role.DESKTOP),
                new Descriptor(3, new byte[]{1, 2, 3, 4, 5}),
                new Descriptor(1, new byte[0]),
                new PageRequest(7, 0, 1),
                new PageRequest(8, RAM / 4096 - 21, 21),
                new PageData(9, 5, page(1)),
                PageData.zero(10, RAM / 4096 - 1),
                new BlockRequest(11, 4096, 1),
                new BlockData(12, Wire.blocksFor(DISK) - 1, page(2)),
                BlockData.zero(13, 0),
                new DirtyPages(List.of(new Chunk(1, page(3)), new Chunk(2, null), new Chunk(RAM / 4096 - 1, page(4)))),
                new DirtyPages(List.of()),
                new DirtyBlocks(List.of(new Chunk(Wire.blocksFor(DISK) - 1, page(5)), new Chunk(0, null))),
                new ReintegrateRequest(),
                new ReintegrateDone(123, 45),
                new Ack(99),
                new Message.Error(Message.Error.BAD_REQUEST, "page 99 out of range: ünïcode ok"),
                new Endpoints(7001, 0),
                new Endpoints(7001, 7002, 0x52_54_00_12_34_56L, 40009),
                new Message.Microsleep(true),
                new Message.Microsleep(false),
                new Message.Attach(65535, 0),
                new Message.Release(),
                new Message.Ping(Long.MIN_VALUE),
                new Message.Pong(42),
                new Message.GoHome("the consolidation server is stopping — übergabe"),
                new ServerStats(1, 2, 3, 4, 5_000, 60_000, 7L << 20),
                new Bye());
    }

    @Test
    void everyMessageTypeRoundTripsThroughBytesAndStreams() throws Exception {
        var all = new java.io.ByteArrayOutputStream();
        for (Message m : everyMessage()) {
            byte[] frame = codec.encode(m);
            assertEquals(m, codec.decode(frame), "byte round trip of " + m);
            all.write(frame);
        }
        var in = new ByteArrayInputStream(all.toByteArray());
        for (Message m : everyMessage()) assertEquals(m, codec.read(in), "stream round trip of " + m);
        assertThrows(EOFException.class, () -> codec.read(in), "clean end between frames is EOF, not a protocol error");
    }

    @Test
    void zeroPageCostsNoDataOnTheWire() {
        assertEquals(Wire.HEADER_BYTES + 17 + Wire.TRAILER_BYTES, codec.encode(PageData.zero(1, 1)).length);
        assertEquals(Wire.HEADER_BYTES + 17 + 4096 + Wire.TRAILER_BYTES, codec.encode(new PageData(1, 1, page(1))).length);
    }

    @Test
    void longErrorTextIsCutOnACharacterBoundary() throws Exception {
        String text = "é".repeat(2000);
        var e = (Message.Error) codec.decode(codec.encode(new Message.Error(4, text)));
        assertTrue(e.message().length() <= Wire.MAX_ERROR_TEXT_BYTES / 2);
        assertTrue(text.startsWith(e.message()));
    }

    // ------------------------------------------------------------ corruption classes

    private static Kind kindOf(Codec c, byte[] frame) {
        var e = assertThrows(ProtocolException.class, () -> c.decode(frame));
        var e2 = assertThrows(ProtocolException.class, () -> c.read(new ByteArrayInputStream(frame)));
        assertEquals(e.kind(), e2.kind(), "byte and stream decoders must agree: " + e.getMessage() + " vs " + e2.getMessage());
        return e.kind();
    }

    /** Rewrites the checksum so only the intended corruption is seen. */
    private static byte[] reseal(byte[] f) {
        CRC32C crc = new CRC32C();
        crc.update(f, 0, f.length - 4);
        ByteBuffer.wrap(f).putInt(f.length - 4, (int) crc.getValue());
        return f;
    }

    @Test
    void badMagic() {
        byte[] f = codec.encode(new Ack(1));
        f[0] ^= 0x20;
        assertEquals(Kind.BAD_MAGIC, kindOf(codec, f));
    }

    @Test
    void unknownVersionTypeAndFlags() {
        byte[] v = codec.encode(new Ack(1));
        v[4] = 1; // version 1 had no epoch in its Hello
        assertEquals(Kind.UNSUPPORTED_VERSION, kindOf(codec, reseal(v)));
        byte[] t = codec.encode(new Ack(1));
        t[5] = 22;
        assertEquals(Kind.UNKNOWN_TYPE, kindOf(codec, reseal(t)));
        t[5] = 0;
        assertEquals(Kind.UNKNOWN_TYPE, kindOf(codec, reseal(t)));
        byte[] fl = codec.encode(new Ack(1));
        fl[7] = 1;
        assertEquals(Kind.BAD_FLAGS, kindOf(codec, reseal(fl)));
    }

    @Test
    void lengthOverTheLimitIsRefusedBeforeAllocating() {
        byte[] f = codec.encode(new Ack(1));
        ByteBuffer.wrap(f).putInt(8, 0xFFFFFFF0); // ~4 GiB announced
        var e = assertThrows(ProtocolException.class, () -> codec.read(new ByteArrayInputStream(f)));
        assertEquals(Kind.TOO_LONG, e.kind());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        var small = new Codec(Limits.of(HELLO).withPayload(1000));
        assertEquals(Kind.TOO_LONG, kindOf(small, codec.encode(new PageData(1, 1, page(1)))));
        assertThrows(IllegalArgumentException.class, () -> small.encode(new PageData(1, 1, page(1))),
                "the encoder refuses to produce what the peer would refuse");
    }

    @Test
    void truncatedFramesAtEveryLength() {
        byte[] f = codec.encode(new PageData(3, 3, page(3)));
        for (int n = 1; n < f.length; n += (n < 40 ? 1 : 97)) {
            assertEquals(Kind.TRUNCATED, kindOf(codec, Arrays.copyOf(f, n)), "cut at " + n);
        }
    }

    @Test
    void checksumMismatchInHeaderPayloadOrTrailer() {
        byte[] f = codec.encode(new PageData(3, 3, page(3)));
        for (int pos : new int[]{12, 20, 100, f.length - 5, f.length - 1}) {
            byte[] g = f.clone();
            g[pos] ^= 1;
            var e = assertThrows(ProtocolException.class, () -> codec.decode(g));
            assertEquals(Kind.BAD_CHECKSUM, e.kind(), "flip at " + pos);
            assertFalse(e.kind().framingIntact());
        }
    }

    @Test
    void pageAndBlockNumbersOutsideTheVmAreRefused() {
        long pages = RAM / 4096, blocks = Wire.blocksFor(DISK);
        var wide = new Codec(new Limits(Limits.DEFAULT_MAX_PAYLOAD, Limits.DEFAULT_MAX_RUN, Long.MAX_VALUE, Long.MAX_VALUE));
        for (Message m : List.of(new PageRequest(1, pages, 1), new PageRequest(1, pages - 1, 2),
                new PageRequest(1, 0, Limits.DEFAULT_MAX_RUN + 1), new PageData(1, pages, null),
                new BlockRequest(1, blocks, 1), new BlockData(1, blocks, page(1)),
                new DirtyPages(List.of(new Chunk(0, null), new Chunk(pages, null))),
                new DirtyBlocks(List.of(new Chunk(blocks + 5, null))))) {
            var e = assertThrows(ProtocolException.class, () -> codec.decode(wide.encode(m)), m.toString());
            assertEquals(Kind.OUT_OF_RANGE, e.kind(), m + ": " + e.getMessage());
            assertTrue(e.kind().framingIntact());
        }
        var before = new Codec(Limits.beforeHello());
        assertEquals(Kind.OUT_OF_RANGE, assertThrows(ProtocolException.class,
                () -> before.decode(codec.encode(new PageRequest(1, 0, 1)))).kind(), "no page numbers before the Hello");
    }

    @Test
    void malformedPayloadsNameTheField() {
        // A DirtyPages frame claiming a million entries in a few bytes: refused before the list is sized.
        byte[] f = codec.encode(new DirtyPages(List.of(new Chunk(1, null))));
        ByteBuffer.wrap(f).putInt(Wire.HEADER_BYTES, 1_000_000);
        var e = assertThrows(ProtocolException.class, () -> codec.decode(reseal(f)));
        assertEquals(Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().contains("page"), e.getMessage());
        // Unknown flag bits in a page.
        byte[] g = codec.encode(PageData.zero(1, 1));
        g[Wire.HEADER_BYTES + 16] = 3;
        assertEquals(Kind.MALFORMED, kindOf(codec, reseal(g)));
        // Bad VM id in a Hello.
        byte[] h = codec.encode(HELLO);
        h[Wire.HEADER_BYTES + 4] = ' ';
        assertEquals(Kind.MALFORMED, kindOf(codec, reseal(h)));
        // A MAC wider than 48 bits, and an asleep flag that is neither 0 nor 1.
        byte[] m = codec.encode(new Endpoints(1, 2, 0xAABBCCDDEEFFL, 9));
        m[Wire.HEADER_BYTES + 4] = 1;
        e = assertThrows(ProtocolException.class, () -> codec.decode(reseal(m)));
        assertTrue(e.getMessage().contains("wake MAC"), e.getMessage());
        byte[] z = codec.encode(new Message.Microsleep(true));
        z[Wire.HEADER_BYTES] = 2;
        e = assertThrows(ProtocolException.class, () -> codec.decode(reseal(z)));
        assertTrue(e.getMessage().contains("asleep flag"), e.getMessage());
        // Trailing bytes inside the frame.
        byte[] a = codec.encode(new Ack(5));
        byte[] longer = Arrays.copyOf(a, a.length + 1);
        ByteBuffer.wrap(longer).putInt(8, 9);
        assertEquals(Kind.MALFORMED, kindOf(codec, reseal(longer)));
    }

    // ------------------------------------------------------------ fuzz

    /**
     * Random bytes, and valid frames with random damage (bit flips, cuts, splices, resealed
     * checksums so the parser itself is exercised): only a Message or a ProtocolException may come out.
     */
    @Test
    void fuzzedFramesOnlyEverGiveAMessageOrAProtocolException() {
        var small = new Codec(Limits.of(HELLO).withPayload(64 * 1024));
        Random r = new Random(0x5EED_F00DL);
        List<byte[]> seeds = new ArrayList<>();
        for (Message m : everyMessage()) seeds.add(small.encode(m));
        int messages = 0, errors = 0;
        for (int i = 0; i < 300_000; i++) {
            byte[] f;
            int mode = r.nextInt(6);
            if (mode == 0) {
                f = new byte[r.nextInt(64)];
                r.nextBytes(f);
                if (r.nextBoolean() && f.length >= 4) ByteBuffer.wrap(f).putInt(0, Wire.MAGIC);
                if (r.nextBoolean() && f.length >= 5) f[4] = 1;
            } else {
                f = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    switch (r.nextInt(4)) {
                        case 0 -> f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
                        case 1 -> f = Arrays.copyOf(f, r.nextInt(f.length + 1));
                        case 2 -> f = Arrays.copyOf(f, f.length + r.nextInt(16));
                        default -> {
                            if (f.length > 12) ByteBuffer.wrap(f).putInt(r.nextInt(f.length - 3), r.nextInt());
                        }
                    }
                    if (f.length == 0) break;
                }
                if (mode >= 3 && f.length >= 16) reseal(f);
            }
            try {
                assertNotNull(small.decode(f));
                messages++;
            } catch (ProtocolException e) {
                assertNotNull(e.kind());
                errors++;
            }
            if ((i & 7) == 0) {
                try {
                    small.read(new ByteArrayInputStream(f));
                } catch (ProtocolException | EOFException e) {
                    // the only two outcomes besides a message
                } catch (java.io.IOException e) {
                    fail("stream decoder leaked " + e);
                }
            }
        }
        assertTrue(messages > 1000 && errors > 100_000, messages + " messages, " + errors + " errors");
    }
}
