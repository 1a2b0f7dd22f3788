package dev.jettison.vmm;

import dev.jettison.vmm.kvm.KvmVm;
import dev.jettison.vmm.memory.GuestMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.TreeSet;

/** RAM pages changed since the last call: KVM's dirty log of each memory slot plus what device code touched. */
final class DirtyPages {
    private DirtyPages() {}

    static long[] take(KvmVm vm, GuestMemory memory) {
        var out = new TreeSet<Long>();
        try (var arena = Arena.ofConfined()) {
            long base = 0;
            for (var r : memory.regions()) {
                long pages = r.size() / 4096;
                var bitmap = arena.allocate(((pages + 63) / 64) * 8, 8);
                vm.dirtyLog(r.slot(), bitmap);
                for (long w = 0; w < (pages + 63) / 64; w++) {
                    long word = bitmap.get(ValueLayout.JAVA_LONG, w * 8);
                    while (word != 0) {
                        out.add(base + w * 64 + Long.numberOfTrailingZeros(word));
                        word &= word - 1;
                    }
                }
                base += pages;
            }
        }
        for (long p : memory.takeHostTouchedPages()) out.add(p);
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
