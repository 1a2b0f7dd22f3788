package dev.jettison.vmm.boot;

import dev.jettison.vmm.memory.MemoryLayout;

import java.util.ArrayList;
import java.util.List;

/** The BIOS-style memory map we hand the guest (docs/machine.md, "Memory map"). */
public final class E820 {
    public static final int RAM = 1, RESERVED = 2;
    static final long EBDA_START = 0x9FC00, BIOS_START = 0xF0000, HIGH_START = 0x100000;

    public record Entry(long address, long size, int type) {}

    private E820() {}

    public static List<Entry> forRam(long ramBytes) {
        var out = new ArrayList<Entry>();
        out.add(new Entry(0, EBDA_START, RAM));
        out.add(new Entry(EBDA_START, 0xA0000 - EBDA_START, RESERVED));
        out.add(new Entry(BIOS_START, HIGH_START - BIOS_START, RESERVED));
        for (var r : MemoryLayout.ramRanges(ramBytes)) {
            long start = Math.max(r.start(), HIGH_START);
            if (r.end() > start) out.add(new Entry(start, r.end() - start, RAM));
        }
        return List.copyOf(out);
    }

    public static long usableBytes(List<Entry> map) {
        return map.stream().filter(e -> e.type() == RAM).mapToLong(Entry::size).sum();
    }
}
