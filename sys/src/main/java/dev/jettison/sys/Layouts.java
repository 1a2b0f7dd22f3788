package dev.jettison.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Shorthands for writing kernel structs as layouts, in the kernel's own type names, and for
 * reaching their fields by the kernel's field names ("exit.io.port" walks nested members).
 * Every struct sys hands the kernel (KVM, userfaultfd) is written with these.
 */
public final class Layouts {
    private Layouts() {}

    public static ValueLayout.OfByte u8(String name) { return JAVA_BYTE.withName(name); }

    public static ValueLayout.OfShort u16(String name) { return JAVA_SHORT.withName(name); }

    public static ValueLayout.OfInt u32(String name) { return JAVA_INT.withName(name); }

    public static ValueLayout.OfLong u64(String name) { return JAVA_LONG.withName(name); }

    public static SequenceLayout bytes(String name, long count) { return MemoryLayout.sequenceLayout(count, JAVA_BYTE).withName(name); }

    public static SequenceLayout array(String name, long count, MemoryLayout element) {
        return MemoryLayout.sequenceLayout(count, element).withName(name);
    }

    /** The byte offset of a (possibly nested) field. */
    public static long offset(MemoryLayout struct, String path) { return struct.byteOffset(elements(path)); }

    /** A handle on one field of a struct that starts at offset 0 of the segment: {@code (segment)}. */
    public static VarHandle field(MemoryLayout struct, String path) {
        return MethodHandles.insertCoordinates(struct.varHandle(elements(path)), 1, 0L);
    }

    /** A handle on the i-th element of an array field: {@code (segment, long i)}. */
    public static VarHandle indexed(MemoryLayout struct, String path) {
        var elements = Arrays.copyOf(elements(path), elements(path).length + 1);
        elements[elements.length - 1] = PathElement.sequenceElement();
        return MethodHandles.insertCoordinates(struct.varHandle(elements), 1, 0L);
    }

    /**
     * A handle on one field of the i-th {@code entry} (the entry itself for an empty path) of a
     * flexible array member that starts {@code arrayOffset} bytes into the segment:
     * {@code (segment, long i)}.
     */
    public static VarHandle element(MemoryLayout entry, long arrayOffset, String path) {
        return MethodHandles.insertCoordinates(entry.arrayElementVarHandle(elements(path)), 1, arrayOffset);
    }

    private static PathElement[] elements(String path) {
        if (path.isEmpty()) return new PathElement[0];
        return Arrays.stream(path.split("\\.")).map(PathElement::groupElement).toArray(PathElement[]::new);
    }
}
