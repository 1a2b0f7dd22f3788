package dev.jettison.migration.wire;

import dev.jettison.core.fuzz.Fuzz;
import dev.jettison.core.fuzz.Gen;
import dev.jettison.migration.fuzz.HostileInput;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The frame decoder against hostile bytes: random frames, valid frames of every message type with
 * bytes changed or bits flipped (and, half the time, the checksum recomputed so the changed
 * payload reaches the field checks), header lengths made up, frames cut or extended. Each either decodes or is a
 * {@link ProtocolException}; none allocates more than the frame limit or takes long.
 */
class CodecFuzzTest {
    /** A VM of 1 GiB RAM and 256 MiB disk, with the full frame limit: what a peer after the Hello faces. */
    static final Limits LIMITS = new Limits(Limits.DEFAULT_MAX_PAYLOAD, Limits.DEFAULT_MAX_RUN, 1 << 18, 1 << 16);
    static final Codec CODEC = new Codec(LIMITS);
    /** Twice the largest payload the decoder may hold, plus slack for the stream's own buffers. */
    static final long MAX_ALLOC = 2L * Limits.DEFAULT_MAX_PAYLOAD + (1 << 20);

    enum Mutation { RANDOM, FLIP, FLIP_RESEAL, BITS, BITS_RESEAL, LENGTH, LENGTH_RESEAL, TRUNCATE, EXTEND }

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

    static byte[] hostileFrame(Gen g) {
        return mutate(g.pick(FRAMES), g.pick(Mutation.class), g);
    }

    static byte[] mutate(byte[] good, Mutation m, Gen g) {
        return switch (m) {
            case RANDOM -> {
                byte[] b = g.bytes(63);
                if (b.length >= 6 && g.nextBoolean()) System.arraycopy(good, 0, b, 0, 6); // magic, version, type
                yield b;
            }
            case FLIP -> g.setBytes(good, 0, good.length, 4);
            case FLIP_RESEAL -> reseal(g.setBytes(good, 0, good.length, 4));
            case BITS -> g.flipBits(good, 3);
            case BITS_RESEAL -> reseal(g.flipBits(good, 3));
            case LENGTH, LENGTH_RESEAL -> {
                byte[] b = Gen.putInt(good, 8, g.nextBoolean() ? g.anyInt() : g.nextInt(good.length + 64), ByteOrder.BIG_ENDIAN);
                yield m == Mutation.LENGTH_RESEAL ? reseal(b) : b;
            }
            case TRUNCATE -> g.truncate(good);
            case EXTEND -> {
                byte[] b = g.extend(good, 32);
                yield g.nextBoolean() ? reseal(b) : b;
            }
        };
    }

    static byte[] reseal(byte[] b) {
        if (b.length < Wire.HEADER_BYTES + Wire.TRAILER_BYTES) return b;
        var crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @TestFactory
    Stream<DynamicTest> decodeParsesOrRefuses() {
        return Fuzz.property("frame decode", CodecFuzzTest::hostileFrame,
                frame -> HostileInput.parse(() -> CODEC.decode(frame), ProtocolException.class, MAX_ALLOC));
    }

    record TwoFrames(byte[] first, byte[] second) {
        byte[] joined() {
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }

    /** From a stream, two frames back to back: the reader stays in step or says it cannot. */
    @TestFactory
    Stream<DynamicTest> readFromAStreamParsesOrRefuses() {
        return Fuzz.property("frame read, two in a row", g -> new TwoFrames(hostileFrame(g), hostileFrame(g)), two -> {
            var in = new ByteArrayInputStream(two.joined());
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
        });
    }

    /** Before the Hello the limit is 2 KiB: no header can make the decoder hold more. */
    @TestFactory
    Stream<DynamicTest> beforeTheHelloNothingLargeIsHeld() {
        var small = new Codec(Limits.beforeHello());
        return Fuzz.property("frame read before the Hello", CodecFuzzTest::hostileFrame,
                frame -> HostileInput.parse(() -> small.read(new ByteArrayInputStream(frame)), IOException.class, 256 * 1024));
    }

    /** The unchanged samples, every one: the mutations start from frames that do decode. */
    @TestFactory
    Stream<DynamicTest> everyValidFrameRoundTrips() {
        List<Message> samples = samples();
        return IntStream.range(0, FRAMES.size()).mapToObj(i -> DynamicTest.dynamicTest(samples.get(i).getClass().getSimpleName(),
                () -> assertEquals(samples.get(i).getClass(), CODEC.decode(FRAMES.get(i)).getClass())));
    }

    /** Regression corpus: a header announcing the whole limit then nothing, and a run past the VM's end. */
    @Test
    void regressions() {
        byte[] huge = Arrays.copyOf(FRAMES.get(1), Wire.HEADER_BYTES);
        ByteBuffer.wrap(huge).putInt(8, Limits.DEFAULT_MAX_PAYLOAD);
        assertEquals(ProtocolException.Kind.TRUNCATED,
                assertThrows(ProtocolException.class, () -> CODEC.read(new ByteArrayInputStream(huge))).kind());
        byte[] run = CODEC.encode(new Message.PageRequest(1, (1 << 18) - 1, 2));
        assertEquals(ProtocolException.Kind.OUT_OF_RANGE, assertThrows(ProtocolException.class, () -> CODEC.decode(run)).kind());
    }
}
