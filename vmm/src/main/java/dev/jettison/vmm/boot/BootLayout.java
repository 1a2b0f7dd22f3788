package dev.jettison.vmm.boot;

/** Fixed guest-physical addresses of the boot structures (docs/machine.md, "Boot"). */
public final class BootLayout {
    public static final long GDT = 0x500;
    public static final long ZERO_PAGE = 0x7000;
    public static final long BOOT_STACK = 0x8FF0;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xA000;
    public static final long PD = 0xB000; // four pages: 0xB000..0xEFFF
    public static final long CMDLINE = 0x20000;
    public static final int CMDLINE_MAX = 2047;
    public static final long MP_TABLE = 0xF0000;
    public static final long KERNEL = 0x100000;
    public static final long ENTRY_64 = KERNEL + 0x200;
    public static final int BOOT_CS = 0x10, BOOT_DS = 0x18, BOOT_TSS = 0x20;

    private BootLayout() {}
}
