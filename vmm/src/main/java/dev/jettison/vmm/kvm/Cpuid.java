package dev.jettison.vmm.kvm;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.SysException;
import dev.jettison.sys.kvm.KvmCpuStructs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID2_NENT;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_EAX;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_EBX;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_ECX;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_EDX;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_FLAGS;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_FUNCTION;
import static dev.jettison.sys.kvm.KvmCpuStructs.CPUID_INDEX;

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
            var buf = arena.allocate(KvmCpuStructs.cpuid2Size(MAX_ENTRIES), 8);
            CPUID2_NENT.set(buf, MAX_ENTRIES);
            try {
                Libc.ioctl(fd.get(), request, buf, name);
            } catch (SysException e) {
                if (e.errno() == Errno.ENOMEM) throw new IllegalStateException(name + " returned more than " + MAX_ENTRIES + " entries", e);
                throw e;
            }
            int n = (int) CPUID2_NENT.get(buf);
            var list = new ArrayList<Entry>(n);
            for (long i = 0; i < n; i++) {
                list.add(new Entry((int) CPUID_FUNCTION.get(buf, i), (int) CPUID_INDEX.get(buf, i),
                        (int) CPUID_FLAGS.get(buf, i), (int) CPUID_EAX.get(buf, i), (int) CPUID_EBX.get(buf, i),
                        (int) CPUID_ECX.get(buf, i), (int) CPUID_EDX.get(buf, i)));
            }
            return new Cpuid(List.copyOf(list));
        }
    }

    /** The kvm_cpuid2 struct for KVM_SET_CPUID2. */
    MemorySegment toNative(Arena arena) {
        var buf = arena.allocate(KvmCpuStructs.cpuid2Size(entries.size()), 8);
        CPUID2_NENT.set(buf, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            long at = i;
            CPUID_FUNCTION.set(buf, at, e.function());
            CPUID_INDEX.set(buf, at, e.index());
            CPUID_FLAGS.set(buf, at, e.flags());
            CPUID_EAX.set(buf, at, e.eax());
            CPUID_EBX.set(buf, at, e.ebx());
            CPUID_ECX.set(buf, at, e.ecx());
            CPUID_EDX.set(buf, at, e.edx());
        }
        return buf;
    }

    /** These leaves with bit {@code bit} of {@code register} set or cleared in every sub-leaf of {@code function}. */
    public Cpuid withBit(int function, Register register, int bit, boolean set) {
        var out = new ArrayList<Entry>(entries.size());
        for (var e : entries) {
            if (e.function() == function) {
                int v = e.register(register);
                e = e.withRegister(register, set ? v | (1 << bit) : v & ~(1 << bit));
            }
            out.add(e);
        }
        return new Cpuid(List.copyOf(out));
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
     * The leaves as vCPU {@code apicId} of {@code cpus} should see them: one package of
     * {@code cpus} cores with one thread each, APIC IDs 0..cpus-1, and the hypervisor bit. KVM
     * reports the host's topology in these leaves (its thread and core counts), which would make
     * the guest pair our vCPUs up as hyperthreads of one core; QEMU {@code -smp N} shows N cores
     * of one package, and so do we, on Intel (leaves 4, 0xB, 0x1F) and AMD (0x80000001,
     * 0x80000008, 0x8000001E) alike.
     */
    public Cpuid forVcpu(int apicId, int cpus) {
        int coreBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, cpus) - 1); // APIC ID bits for the cores
        var out = new ArrayList<Entry>(entries.size());
        for (var e : entries) {
            switch (e.function()) {
                case 1 -> {
                    int ebx = (e.ebx() & 0x0000FFFF) | ((cpus & 0xFF) << 16) | (apicId << 24);
                    int edx = e.edx() | (cpus > 1 ? (1 << 28) : 0); // HTT: more than one logical CPU
                    e = new Entry(e.function(), e.index(), e.flags(), e.eax(), ebx, e.ecx() | (1 << 31), edx);
                }
                case 4 -> {
                    // Deterministic cache parameters: cores per package - 1 in EAX[31:26]; threads sharing
                    // the cache - 1 in EAX[25:14]: the last level is shared by all cores, the others by none.
                    if ((e.eax() & 0x1F) != 0) {
                        boolean lastLevel = ((e.eax() >>> 5) & 7) >= 3;
                        int sharing = lastLevel ? (1 << coreBits) - 1 : 0;
                        int eax = (e.eax() & 0x3FFF) | (sharing << 14) | (((1 << coreBits) - 1) << 26);
                        e = e.withRegister(Register.EAX, eax);
                    }
                }
                case 0xB, 0x1F -> e = topologyLevel(e, apicId, cpus, coreBits);
                case 0x80000001 -> // CmpLegacy: the logical count of leaf 1 counts cores, not threads
                    e = e.withRegister(Register.ECX, cpus > 1 ? e.ecx() | (1 << 1) : e.ecx() & ~(1 << 1));
                case 0x80000008 -> // cores - 1 in ECX[7:0], APIC ID bits for them in ECX[15:12]
                    e = e.withRegister(Register.ECX, (e.ecx() & ~0xF0FF) | (coreBits << 12) | ((cpus - 1) & 0xFF));
                case 0x8000001E -> // AMD extended APIC ID; core ID = APIC ID, one thread per core, node 0
                    e = new Entry(e.function(), e.index(), e.flags(), apicId, apicId & 0xFF, 0, 0);
                default -> { }
            }
            out.add(e);
        }
        return new Cpuid(List.copyOf(out));
    }

    /** Leaf 0xB/0x1F sub-leaf: level 0 = threads (1 per core), level 1 = cores ({@code cpus}), then none. */
    private static Entry topologyLevel(Entry e, int apicId, int cpus, int coreBits) {
        final int typeThread = 1, typeCore = 2;
        return switch (e.index()) {
            case 0 -> new Entry(e.function(), 0, e.flags(), 0, 1, (typeThread << 8), apicId);
            case 1 -> new Entry(e.function(), 1, e.flags(), coreBits, cpus, (typeCore << 8) | 1, apicId);
            default -> new Entry(e.function(), e.index(), e.flags(), 0, 0, e.index() & 0xFF, apicId);
        };
    }

    public Entry find(int function, int index) {
        for (var e : entries) if (e.function() == function && e.index() == index) return e;
        return null;
    }
}
