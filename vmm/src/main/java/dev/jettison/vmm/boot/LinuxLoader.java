package dev.jettison.vmm.boot;

import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.MemoryLayout;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Puts a bzImage, its initrd and command line into guest memory the way the Linux 64-bit boot
 * protocol wants them, with a zero page, boot GDT and identity-mapped page tables, so that the
 * BSP can start at the 64-bit entry with no firmware. Serves the stock kernel and our test guest alike.
 */
public final class LinuxLoader {
    // boot_params offsets (arch/x86/include/uapi/asm/bootparam.h)
    private static final int E820_ENTRIES = 0x1E8, SETUP_HEADER = 0x1F1, VID_MODE = 0x1FA,
            TYPE_OF_LOADER = 0x210, LOADFLAGS = 0x211, RAMDISK_IMAGE = 0x218, RAMDISK_SIZE = 0x21C,
            HEAP_END_PTR = 0x224, CMD_LINE_PTR = 0x228, EXT_RAMDISK_IMAGE = 0xC0, EXT_RAMDISK_SIZE = 0xC4,
            EXT_CMD_LINE_PTR = 0xC8, E820_TABLE = 0x2D0;
    private static final int E820_MAX = 128;
    private static final int CAN_USE_HEAP = 0x80;

    /** Where things went, for the log and for tests. */
    public record Loaded(long kernelEnd, long initrdAddress, long initrdSize, List<E820.Entry> e820) {}

    private LinuxLoader() {}

    public static Loaded load(GuestMemory mem, BzImage kernel, byte[] initrd, String cmdline) {
        byte[] cmd = cmdline.getBytes(StandardCharsets.US_ASCII);
        int max = Math.min(BootLayout.CMDLINE_MAX, kernel.cmdlineSize());
        if (cmd.length > max) {
            throw new IllegalArgumentException("command line is " + cmd.length + " bytes; this kernel takes at most " + max);
        }
        long lowEnd = Math.min(mem.ramBytes(), MemoryLayout.MMIO_GAP_START);
        long kernelEnd = BootLayout.KERNEL + kernel.initSize();
        if (kernelEnd > lowEnd) {
            throw new IllegalArgumentException("kernel " + kernel.source() + " needs " + kernel.initSize() / MemoryLayout.MIB
                    + " MiB from 1 MiB up but the guest has only " + lowEnd / MemoryLayout.MIB + " MiB of low RAM");
        }
        mem.write(BootLayout.KERNEL, kernel.protectedModePart());

        long initrdAddress = 0;
        if (initrd != null && initrd.length > 0) {
            long top = Math.min(lowEnd, kernel.initrdAddrMax() + 1);
            initrdAddress = (top - initrd.length) & ~0xFFFL;
            if (initrdAddress < kernelEnd) {
                throw new IllegalArgumentException("initrd of " + initrd.length / MemoryLayout.MIB
                        + " MiB does not fit between the kernel and " + top / MemoryLayout.MIB + " MiB: give the guest more RAM");
            }
            mem.write(initrdAddress, initrd);
        }

        byte[] cmdz = new byte[cmd.length + 1];
        System.arraycopy(cmd, 0, cmdz, 0, cmd.length);
        mem.write(BootLayout.CMDLINE, cmdz);

        var e820 = E820.forRam(mem.ramBytes());
        writeZeroPage(mem, kernel, initrdAddress, initrd == null ? 0 : initrd.length, e820);
        writeGdt(mem);
        writePageTables(mem);
        return new Loaded(kernelEnd, initrdAddress, initrd == null ? 0 : initrd.length, e820);
    }

    private static void writeZeroPage(GuestMemory mem, BzImage kernel, long initrdAddress, long initrdSize,
                                      List<E820.Entry> e820) {
        long zp = BootLayout.ZERO_PAGE;
        mem.write(zp, new byte[4096]);
        mem.write(zp + SETUP_HEADER, kernel.setupHeader());
        mem.writeShort(zp + VID_MODE, (short) 0xFFFF); // "normal" text mode
        mem.writeByte(zp + TYPE_OF_LOADER, (byte) 0xFF); // no registered loader ID
        byte flags = mem.readByte(zp + LOADFLAGS);
        mem.writeByte(zp + LOADFLAGS, (byte) (flags | BzImage.LOADED_HIGH | CAN_USE_HEAP));
        mem.writeShort(zp + HEAP_END_PTR, (short) 0xFE00);
        mem.writeInt(zp + CMD_LINE_PTR, (int) BootLayout.CMDLINE);
        mem.writeInt(zp + EXT_CMD_LINE_PTR, 0);
        mem.writeInt(zp + RAMDISK_IMAGE, (int) initrdAddress);
        mem.writeInt(zp + RAMDISK_SIZE, (int) initrdSize);
        mem.writeInt(zp + EXT_RAMDISK_IMAGE, (int) (initrdAddress >>> 32));
        mem.writeInt(zp + EXT_RAMDISK_SIZE, (int) (initrdSize >>> 32));
        if (e820.size() > E820_MAX) throw new IllegalStateException("too many e820 entries: " + e820.size());
        mem.writeByte(zp + E820_ENTRIES, (byte) e820.size());
        for (int i = 0; i < e820.size(); i++) {
            var e = e820.get(i);
            long o = zp + E820_TABLE + 20L * i;
            mem.writeLong(o, e.address());
            mem.writeLong(o + 8, e.size());
            mem.writeInt(o + 16, e.type());
        }
    }

    /** null, null, 64-bit code (0x10), data (0x18), 64-bit TSS (0x20, two slots): boot.rst's __BOOT_CS/__BOOT_DS. */
    private static void writeGdt(GuestMemory mem) {
        long[] gdt = {
            0, 0,
            0x00AF9B000000FFFFL, // code: present, DPL0, exec/read, accessed, L=1, G=1
            0x00CF93000000FFFFL, // data: present, DPL0, read/write, accessed, D/B=1, G=1
            0x00008B0000000067L, // TSS: present, busy 64-bit TSS, base 0, limit 0x67
            0,
        };
        for (int i = 0; i < gdt.length; i++) mem.writeLong(BootLayout.GDT + 8L * i, gdt[i]);
    }

    /** Identity map of the first 4 GiB with 2 MiB pages: all the 64-bit entry may touch. */
    private static void writePageTables(GuestMemory mem) {
        mem.write(BootLayout.PML4, new byte[4096]);
        mem.write(BootLayout.PDPT, new byte[4096]);
        mem.writeLong(BootLayout.PML4, BootLayout.PDPT | 0x3);
        for (int i = 0; i < 4; i++) {
            long pd = BootLayout.PD + 0x1000L * i;
            mem.writeLong(BootLayout.PDPT + 8L * i, pd | 0x3);
            for (int j = 0; j < 512; j++) {
                long phys = ((long) i << 30) | ((long) j << 21);
                mem.writeLong(pd + 8L * j, phys | 0x83); // present, writable, 2 MiB page
            }
        }
    }
}
