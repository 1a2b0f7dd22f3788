package dev.jettison.vmm.kvm;

import dev.jettison.vmm.memory.GuestMemory;

/** Translates a guest-virtual address through 4-level x86-64 page tables, for diagnostics. */
public final class PageWalk {
    private static final long ADDR_MASK = 0x000FFFFFFFFFF000L;

    private PageWalk() {}

    /** The guest-physical address of {@code va}, or -1 if unmapped or the tables are not RAM. */
    public static long translate(GuestMemory mem, long cr3, long va) {
        try {
            long table = cr3 & ADDR_MASK;
            for (int level = 3; level >= 0; level--) {
                int index = (int) ((va >>> (12 + 9 * level)) & 0x1FF);
                long entry = mem.readLong(table + 8L * index);
                if ((entry & 1) == 0) return -1;
                boolean large = level > 0 && level < 3 && (entry & 0x80) != 0;
                if (large) {
                    long pageMask = (1L << (12 + 9 * level)) - 1;
                    return (entry & ADDR_MASK & ~pageMask) | (va & pageMask);
                }
                table = entry & ADDR_MASK;
            }
            return table | (va & 0xFFF);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
