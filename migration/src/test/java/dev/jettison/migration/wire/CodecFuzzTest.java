package dev.jettison.migration.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The frame decoder against hostile bytes: random frames, valid frames of every message type with
 * bytes changed (and, half the time, the checksum recomputed so the changed payload reaches the
 * field checks), header lengths made up, frames cut or extended. Each either decodes or is a
 * {@link ProtocolException}; none allocates more than the frame limit or takes long.
 */
class CodecFuzzTest {
    /** A VM of 1 GiB RAM and 256 MiB disk, with the full frame limit: what a peer after the Hello faces. */
    static final Limits LIMITS = new Limits(Limits.DEFAULT_MAX_PAYLOAD, Limits.DEFAULT_MAX_RUN, 1 << 18, 1 << 16);
    static final Codec CODEC = new Codec(LIMITS);
    /** Twice the largest payload the decoder may hold, plus slack for the stream's own buffers. */
    static final long MAX_ALLOC = 2L * Limits.DEFAULT_MAX_PAYLOAD + (1 << 20);

    enum Mutation { RANDOM, FLIP, FLIP_RESEAL, LENGTH, LENGTH_RESEAL, TRUNCATE, EXTEND }

    static List<Message> samples() {
        byte[] page = new byte[Wire.PAGE_SIZE];
        Arrays.fill(page, (byte) 0x5A);
        var s = SessionId.random();
        return List.of(
                Message.Hello.of("vm-1", s, 1L << 30, 1L << 28, Role.DESKTOP),
                new Message.Descriptor(3, new byte[]{1, 2, 3, 4, 5}),
                new Message.PageRequest(7, 100, 20), new Message.PageData(7, 100, page), Message.PageData.zero(7, 101),
                new Message.BlockRequest(8, 5, 3), new Message.BlockData(8, 5, page), Message.BlockData.zero(8, 6),
                new Message.DirtyPages(List.of(new Message.Chunk(1, page), new Message.Chunk(2, null))),
                new Message.DirtyBlocks(List.of(new Message.Chunk(3, null))),
                new Message.ReintegrateRequest(), new Message.ReintegrateDone(2, 1), new Message.Ack(9),
                new Message.Error(Message.Error.REFUSED, "not permitted"), new Message.Bye(),
                new Message.Endpoints(7801, 7802, 0x525400000001L, 9), new Message.ServerStats(1, 2, 3, 4, 5, 6, 7),
                new Message.Microsleep(true), new Message.Attach(1, 2), new Message.Release(), new Message.Ping(1),
                new Message.Pong(1), new Message.GoHome("stopping"));
    }

    static final List<byte[]> FRAMES = samples().stream().map(CODEC::encode).toList();

    @Provide
    Arbitrary<byte[]> hostileFrames() {
        return Combinators.combine(Arbitraries.integers().between(0, FRAMES.size() - 1), Arbitraries.of(Mutation.class),
                Arbitraries.longs()).as((i, m, seed) -> mutate(FRAMES.get(i), m, new SplittableRandom(seed)));
    }

    static byte[] mutate(byte[] good, Mutation m, SplittableRandom r) {
        byte[] b = good.clone();
        switch (m) {
            case RANDOM -> {
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
                if (b.length >= 6 && r.nextBoolean()) System.arraycopy(good, 0, b, 0, 6); // magic, version, type
            }
            case FLIP, FLIP_RESEAL -> {
                for (int k = 0; k < 1 + r.nextInt(4); k++) b[r.nextInt(b.length)] = (byte) r.nextInt();
                if (m == Mutation.FLIP_RESEAL) reseal(b);
            }
            case LENGTH, LENGTH_RESEAL -> {
                ByteBuffer.wrap(b).putInt(8, r.nextBoolean() ? r.nextInt() : r.nextInt(b.length + 64));
                if (m == Mutation.LENGTH_RESEAL) reseal(b);
            }
            case TRUNCATE -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case EXTEND -> {
                b = Arrays.copyOf(b, b.length + 1 + r.nextInt(32));
                if (r.nextBoolean()) reseal(b);
            }
        }
        return b;
    }

    static void reseal(byte[] b) {
        if (b.length < Wire.HEADER_BYTES + Wire.TRAILER_BYTES) return;
        var crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }

    @Property
    void decodeParsesOrRefuses(@ForAll("hostileFrames") byte[] frame) {
        HostileInput.parse(() -> CODEC.decode(frame), ProtocolException.class, MAX_ALLOC);
    }

    /** From a stream, two frames back to back: the reader stays in step or says it cannot. */
    @Property
    void readFromAStreamParsesOrRefuses(@ForAll("hostileFrames") byte[] a, @ForAll("hostileFrames") byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        var in = new ByteArrayInputStream(both);
        HostileInput.parse(() -> {
            for (int i = 0; i < 3; i++) {
                try {
                    CODEC.read(in);
                } catch (EOFException end) {
                    return null; // a clean end between frames
                }
            }
            return null;
        }, IOException.class, MAX_ALLOC);
    }

    /** Before the Hello the limit is 2 KiB: no header can make the decoder hold more. */
    @Property
    void beforeTheHelloNothingLargeIsHeld(@ForAll("hostileFrames") byte[] frame) {
        var small = new Codec(Limits.beforeHello());
        HostileInput.parse(() -> small.read(new ByteArrayInputStream(frame)), IOException.class, 256 * 1024);
    }

    @Property(tries = 100)
    void everyValidFrameRoundTrips(@ForAll("validIndex") int i) throws ProtocolException {
        assertEquals(samples().get(i).getClass(), CODEC.decode(FRAMES.get(i)).getClass());
    }

    @Provide
    Arbitrary<Integer> validIndex() {
        return Arbitraries.integers().between(0, FRAMES.size() - 1);
    }

    /** Regression corpus: a header announcing the whole limit then nothing, and a run past the VM's end. */
    @Example
    void regressions() {
        byte[] huge = Arrays.copyOf(FRAMES.get(1), Wire.HEADER_BYTES);
        ByteBuffer.wrap(huge).putInt(8, Limits.DEFAULT_MAX_PAYLOAD);
        assertEquals(ProtocolException.Kind.TRUNCATED,
                assertThrows(ProtocolException.class, () -> CODEC.read(new ByteArrayInputStream(huge))).kind());
        byte[] run = CODEC.encode(new Message.PageRequest(1, (1 << 18) - 1, 2));
        assertEquals(ProtocolException.Kind.OUT_OF_RANGE, assertThrows(ProtocolException.class, () -> CODEC.decode(run)).kind());
    }
}
