package dev.jettison.vmm.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Linux bzImage (Documentation/arch/x86/boot.rst), validated for the 64-bit boot protocol:
 * we load its protected-mode part at 1 MiB and jump to its 64-bit entry at +0x200, so it must
 * declare XLF_KERNEL_64 (protocol 2.12+). Our test guest OS uses the same format.
 */
public final class BzImage {
    public static final int MIN_PROTOCOL = 0x020C;
    static final int SETUP_SECTS = 0x1F1, BOOT_FLAG = 0x1FE, JUMP = 0x200, HEADER_MAGIC = 0x202,
            VERSION = 0x206, LOADFLAGS = 0x211, CODE32_START = 0x214, INITRD_ADDR_MAX = 0x22C,
            KERNEL_ALIGNMENT = 0x230, RELOCATABLE = 0x234, XLOADFLAGS = 0x236, CMDLINE_SIZE = 0x238,
            PREF_ADDRESS = 0x258, INIT_SIZE = 0x260;
    static final int LOADED_HIGH = 0x01, XLF_KERNEL_64 = 0x01;
    private static final int HDRS = 0x53726448; // "HdrS"

    private final Path source;
    private final byte[] image;
    private final int setupBytes;
    private final int protocol;

    private BzImage(Path source, byte[] image, int setupBytes, int protocol) {
        this.source = source;
        this.image = image;
        this.setupBytes = setupBytes;
        this.protocol = protocol;
    }

    public static BzImage load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidKernelException("kernel image " + path + " does not exist");
        } catch (IOException e) {
            throw new InvalidKernelException("cannot read kernel image " + path + ": " + e.getMessage());
        }
        return parse(path, bytes);
    }

    public static BzImage parse(Path source, byte[] bytes) {
        String name = source.toString();
        if (bytes.length < 0x264) {
            throw new InvalidKernelException(name + " is " + bytes.length
                    + " bytes: too short to hold a bzImage setup header (needs 0x264)");
        }
        var b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(BOOT_FLAG) != (short) 0xAA55) {
            throw new InvalidKernelException(name + " is not a bzImage: no 0xAA55 boot flag at offset 0x1fe"
                    + (bytes[0] == 0x7F && bytes[1] == 'E' ? " (it is an ELF file: use the bzImage, e.g. /boot/vmlinuz-*)" : ""));
        }
        if (b.getInt(HEADER_MAGIC) != HDRS) {
            throw new InvalidKernelException(name + " has no \"HdrS\" setup header magic at offset 0x202 "
                    + "(a pre-2.00 boot protocol image, or not a Linux kernel)");
        }
        int protocol = Short.toUnsignedInt(b.getShort(VERSION));
        if (protocol < MIN_PROTOCOL) {
            throw new InvalidKernelException(name + " speaks boot protocol " + protocolString(protocol)
                    + "; the 64-bit entry needs 2.12 or later");
        }
        if ((Short.toUnsignedInt(b.getShort(XLOADFLAGS)) & XLF_KERNEL_64) == 0) {
            throw new InvalidKernelException(name + " does not declare a 64-bit entry point "
                    + "(XLF_KERNEL_64 clear in xloadflags): a 32-bit kernel?");
        }
        if ((bytes[LOADFLAGS] & LOADED_HIGH) == 0) {
            throw new InvalidKernelException(name + " is a zImage (LOADED_HIGH clear): it wants to be loaded at 0x10000");
        }
        int sects = Byte.toUnsignedInt(bytes[SETUP_SECTS]);
        if (sects == 0) sects = 4; // boot.rst: 0 means 4 for compatibility
        int setupBytes = (sects + 1) * 512;
        if (setupBytes + 0x200 >= bytes.length) {
            throw new InvalidKernelException(name + " is truncated: setup is " + setupBytes
                    + " bytes but the file has only " + bytes.length);
        }
        long initSize = Integer.toUnsignedLong(b.getInt(INIT_SIZE));
        if (initSize != 0 && initSize < bytes.length - setupBytes) {
            throw new InvalidKernelException(name + " is inconsistent: init_size " + initSize
                    + " is smaller than its own protected-mode part (" + (bytes.length - setupBytes) + " bytes)");
        }
        return new BzImage(source, bytes, setupBytes, protocol);
    }

    static String protocolString(int p) { return (p >> 8) + "." + String.format("%02d", p & 0xFF); }

    public Path source() { return source; }

    public int protocol() { return protocol; }

    /** The part loaded at 1 MiB. */
    public byte[] protectedModePart() { return Arrays.copyOfRange(image, setupBytes, image.length); }

    /** The setup header as boot.rst defines it: from 0x1f1 to the end given by the jump at 0x200. */
    public byte[] setupHeader() {
        int end = 0x202 + Byte.toUnsignedInt(image[JUMP + 1]);
        end = Math.min(Math.max(end, 0x268), 0x280);
        return Arrays.copyOfRange(image, SETUP_SECTS, end);
    }

    /** Memory the kernel needs from its load address while it decompresses and starts. */
    public long initSize() {
        long s = Integer.toUnsignedLong(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(INIT_SIZE));
        return Math.max(s, image.length - setupBytes);
    }

    public long initrdAddrMax() {
        long m = Integer.toUnsignedLong(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(INITRD_ADDR_MAX));
        return m == 0 ? 0x37FFFFFFL : m;
    }

    public int cmdlineSize() {
        int s = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(CMDLINE_SIZE);
        return s <= 0 ? 255 : s;
    }
}
