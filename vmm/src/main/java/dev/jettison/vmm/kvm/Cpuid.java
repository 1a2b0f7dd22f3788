package dev.jettison.vmm.kvm;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.SysException;
import dev.jettison.sys.kvm.KvmStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** A set of CPUID leaves as KVM takes them (kvm_cpuid2), with the edits a VMM makes per vCPU. */
public record Cpuid(List<Entry> entries) {
    /** One kvm_cpuid_entry2. */
    public record Entry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
        Entry withRegister(Register r, int value) {
            return switch (r) {
                case EAX -> new Entry(function, index, flags, value, ebx, ecx, edx);
                case EBX -> new Entry(function, index, flags, eax, value, ecx, edx);
                case ECX -> new Entry(function, index, flags, eax, ebx, value, edx);
                case EDX -> new Entry(function, index, flags, eax, ebx, ecx, value);
            };
        }

        int register(Register r) {
            return switch (r) {
                case EAX -> eax;
                case EBX -> ebx;
                case ECX -> ecx;
                case EDX -> edx;
            };
        }
    }

    public enum Register { EAX, EBX, ECX, EDX }

    /** A feature bit to hide from the guest: leaf (function), sub-leaf index or -1 for all, register, bit. */
    public record Mask(int function, int index, Register register, int bit) {
        /** Parses "LEAF:REG:BIT" or "LEAF.INDEX:REG:BIT", leaf in hex or decimal, e.g. "0x1:ecx:5". */
        public static Mask parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("CPUID mask '" + text + "' is not LEAF[.INDEX]:REG:BIT (e.g. 0x1:ecx:5)");
            }
            String[] leaf = parts[0].split("\\.");
            try {
                int function = Integer.decode(leaf[0]);
                int index = leaf.length > 1 ? Integer.decode(leaf[1]) : -1;
                Register r = Register.valueOf(parts[1].toUpperCase());
                int bit = Integer.parseInt(parts[2]);
                if (bit < 0 || bit > 31) throw new IllegalArgumentException("bit " + bit + " is not 0..31");
                return new Mask(function, index, r, bit);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CPUID mask '" + text + "': " + e.getMessage(), e);
            }
        }
    }

    private static final int MAX_ENTRIES = 256;

    static Cpuid query(Fd fd, long request, String name) {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(8 + KvmStructs.CPUID_ENTRY_SIZE * MAX_ENTRIES, 8);
            buf.set(JAVA_INT, 0, MAX_ENTRIES);
            try {
                Libc.ioctl(fd.get(), request, buf, name);
            } catch (SysException e) {
                if (e.errno() == Errno.ENOMEM) throw new IllegalStateException(name + " returned more than " + MAX_ENTRIES + " entries", e);
                throw e;
            }
            int n = buf.get(JAVA_INT, 0);
            var list = new ArrayList<Entry>(n);
            for (int i = 0; i < n; i++) {
                long o = 8 + KvmStructs.CPUID_ENTRY_SIZE * i;
                list.add(new Entry(buf.get(JAVA_INT, o), buf.get(JAVA_INT, o + 4), buf.get(JAVA_INT, o + 8),
                        buf.get(JAVA_INT, o + 12), buf.get(JAVA_INT, o + 16), buf.get(JAVA_INT, o + 20),
                        buf.get(JAVA_INT, o + 24)));
            }
            return new Cpuid(List.copyOf(list));
        }
    }

    /** The kvm_cpuid2 struct for KVM_SET_CPUID2. */
    MemorySegment toNative(Arena arena) {
        var buf = arena.allocate(8 + KvmStructs.CPUID_ENTRY_SIZE * entries.size(), 8);
        buf.set(JAVA_INT, 0, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            long o = 8 + KvmStructs.CPUID_ENTRY_SIZE * i;
            buf.set(JAVA_INT, o, e.function());
            buf.set(JAVA_INT, o + 4, e.index());
            buf.set(JAVA_INT, o + 8, e.flags());
            buf.set(JAVA_INT, o + 12, e.eax());
            buf.set(JAVA_INT, o + 16, e.ebx());
            buf.set(JAVA_INT, o + 20, e.ecx());
            buf.set(JAVA_INT, o + 24, e.edx());
        }
        return buf;
    }

    public Cpuid masked(List<Mask> masks) {
        var out = new ArrayList<Entry>(entries.size());
        for (var e : entries) {
            for (var m : masks) {
                if (m.function() == e.function() && (m.index() < 0 || m.index() == e.index())) {
                    e = e.withRegister(m.register(), e.register(m.register()) & ~(1 << m.bit()));
                }
            }
            out.add(e);
        }
        return new Cpuid(List.copyOf(out));
    }

    /**
     * The leaves as vCPU {@code apicId} of {@code cpus} should see them: its own APIC ID in
     * leaf 1 and the x2APIC topology leaves, the logical count, and the hypervisor bit.
     */
    public Cpuid forVcpu(int apicId, int cpus) {
        var out = new ArrayList<Entry>(entries.size());
        for (var e : entries) {
            switch (e.function()) {
                case 1 -> {
                    int ebx = (e.ebx() & 0x0000FFFF) | ((cpus & 0xFF) << 16) | (apicId << 24);
                    int edx = e.edx() | (cpus > 1 ? (1 << 28) : 0); // HTT: more than one logical CPU
                    e = new Entry(e.function(), e.index(), e.flags(), e.eax(), ebx, e.ecx() | (1 << 31), edx);
                }
                case 0xB, 0x1F -> e = new Entry(e.function(), e.index(), e.flags(), e.eax(), e.ebx(), e.ecx(), apicId);
                default -> { }
            }
            out.add(e);
        }
        return new Cpuid(List.copyOf(out));
    }

    public Entry find(int function, int index) {
        for (var e : entries) if (e.function() == function && e.index() == index) return e;
        return null;
    }
}
