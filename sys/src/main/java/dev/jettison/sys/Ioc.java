package dev.jettison.sys;

import java.lang.foreign.MemoryLayout;

/**
 * Linux ioctl request numbers as the kernel's {@code _IOC} macros build them (asm-generic/ioctl.h):
 * direction, argument size, type and number packed into 32 bits. The size comes from the
 * argument's layout, so a layout that drifts from the kernel's struct changes the request
 * number and the kernel refuses it (ENOTTY) instead of reading the wrong bytes.
 */
public final class Ioc {
    static final int NR_BITS = 8, TYPE_BITS = 8, SIZE_BITS = 14;
    static final int TYPE_SHIFT = NR_BITS, SIZE_SHIFT = TYPE_SHIFT + TYPE_BITS, DIR_SHIFT = SIZE_SHIFT + SIZE_BITS;
    /** Directions are seen from user space: WRITE means the kernel reads our buffer. */
    public static final int NONE = 0, WRITE = 1, READ = 2;

    private Ioc() {}

    public static long encode(int direction, int type, int nr, long size) {
        if (type >>> TYPE_BITS != 0 || nr >>> NR_BITS != 0) {
            throw new IllegalArgumentException("ioctl type 0x" + Integer.toHexString(type) + " / number 0x"
                    + Integer.toHexString(nr) + " does not fit in 8 bits");
        }
        if (size < 0 || size >>> SIZE_BITS != 0) {
            throw new IllegalArgumentException("ioctl argument of " + size + " bytes does not fit the "
                    + SIZE_BITS + "-bit size field");
        }
        return ((long) direction << DIR_SHIFT) | (size << SIZE_SHIFT) | ((long) type << TYPE_SHIFT) | nr;
    }

    /** {@code _IO}: no argument, or an integer passed by value. */
    public static long none(int type, int nr) { return encode(NONE, type, nr, 0); }

    /** {@code _IOR}: the kernel fills {@code arg}. */
    public static long read(int type, int nr, MemoryLayout arg) { return encode(READ, type, nr, arg.byteSize()); }

    /** {@code _IOW}: the kernel reads {@code arg}. */
    public static long write(int type, int nr, MemoryLayout arg) { return encode(WRITE, type, nr, arg.byteSize()); }

    /** {@code _IOWR}: the kernel reads and then rewrites {@code arg}. */
    public static long readWrite(int type, int nr, MemoryLayout arg) {
        return encode(READ | WRITE, type, nr, arg.byteSize());
    }
}
