package dev.jettison.vmm.snapshot;

import dev.jettison.core.fuzz.Fuzz;
import dev.jettison.core.fuzz.Gen;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The descriptor parser (what a desktop sends a server) against hostile bytes: fields changed
 * with the checksum recomputed (so every field check is reached), 32-bit counts overwritten with
 * huge values, cuts and random blobs. Each decodes or is a {@link DescriptorException}, quickly
 * and without allocating much beyond the input.
 */
class DescriptorFuzzTest {
    static final byte[] GOOD = DescriptorCodec.encode(DescriptorCodecTest.sample(7));
    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Past the 12-byte header, short of the 4-byte checksum. */
    static final int BODY = 12;

    static byte[] hostile(Gen g) {
        return switch (g.nextInt(5)) {
            case 0 -> {
                byte[] b = g.bytes(95);
                if (b.length > 8) System.arraycopy(GOOD, 0, b, 0, 8); // magic and version, so the parse goes on
                yield b;
            }
            case 1 -> reseal(g.setBytes(GOOD, BODY, GOOD.length - 4, 6));
            case 2 -> {
                // a plausible length or count field made huge, negative or slightly off
                int at = BODY + g.nextInt(GOOD.length - 20) & ~3;
                yield reseal(Gen.putInt(GOOD, at, g.corruptLength(70000), ByteOrder.LITTLE_ENDIAN));
            }
            case 3 -> {
                byte[] b = g.truncate(GOOD);
                yield b.length > 16 && g.nextBoolean() ? reseal(b) : b;
            }
            default -> g.xorByte(GOOD);
        };
    }

    static byte[] reseal(byte[] b) {
        if (b.length < 16) return b;
        var crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @TestFactory
    Stream<DynamicTest> decodesOrRefusesWithItsReason() {
        return Fuzz.property("descriptor decode", DescriptorFuzzTest::hostile, bytes -> {
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            try {
                DescriptorCodec.decode(bytes);
            } catch (DescriptorException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says why");
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail("unexpected " + e, e);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - a0;
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "decode took over 5 s");
            assertTrue(allocated < 4L * bytes.length + (4 << 20), "decode of " + bytes.length + " bytes allocated " + allocated);
        });
    }
}
