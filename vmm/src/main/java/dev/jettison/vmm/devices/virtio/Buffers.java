package dev.jettison.vmm.devices.virtio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Scatter-gather over the guest buffers of a chain, which may split any field across descriptors. */
public final class Buffers {
    private Buffers() {}

    public static long size(List<MemorySegment> buffers) {
        long n = 0;
        for (var b : buffers) n += b.byteSize();
        return n;
    }

    /** The bytes [offset, offset+length) of the concatenated buffers, as slices of them. */
    public static List<MemorySegment> range(List<MemorySegment> buffers, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size(buffers)) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + size(buffers) + " bytes");
        }
        var out = new ArrayList<MemorySegment>();
        for (var b : buffers) {
            if (length == 0) break;
            if (offset >= b.byteSize()) {
                offset -= b.byteSize();
                continue;
            }
            long n = Math.min(length, b.byteSize() - offset);
            out.add(b.asSlice(offset, n));
            offset = 0;
            length -= n;
        }
        return out;
    }

    /** Copies the start of the buffers into {@code dst}; returns how many bytes there were to copy. */
    public static int gather(List<MemorySegment> buffers, byte[] dst) {
        int at = 0;
        for (var b : buffers) {
            if (at == dst.length) break;
            int n = (int) Math.min(b.byteSize(), dst.length - at);
            MemorySegment.copy(b, JAVA_BYTE, 0, dst, at, n);
            at += n;
        }
        return at;
    }

    /** Copies all of {@code src} into the start of the buffers; returns the bytes that fit. */
    public static long scatter(MemorySegment src, List<MemorySegment> buffers) {
        long at = 0;
        for (var b : buffers) {
            if (at == src.byteSize()) break;
            long n = Math.min(b.byteSize(), src.byteSize() - at);
            MemorySegment.copy(src, at, b, 0, n);
            at += n;
        }
        return at;
    }

    public static long scatter(byte[] src, List<MemorySegment> buffers) {
        return scatter(MemorySegment.ofArray(src), buffers);
    }

    /** The concatenation of the buffers as one array. */
    public static byte[] concat(List<MemorySegment> buffers) {
        long n = size(buffers);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(n + " bytes do not fit in an array");
        byte[] out = new byte[(int) n];
        gather(buffers, out);
        return out;
    }
}
