package dev.jettison.vmm.kvm;

import dev.jettison.sys.kvm.KvmIoctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CPUID every guest of ours sees, the test guest and Debian's kernel alike: what this KVM
 * supports (KVM_GET_SUPPORTED_CPUID), plus what KVM emulates but leaves for the VMM to offer,
 * minus what would break when the VM moves to another host. The reference is QEMU's
 * {@code -accel kvm -cpu host} on the same host; docs/machine.md lists the comparison.
 */
public final class GuestCpuid {
    /** Leaf 1 (processor info and features). */
    static final int LEAF_FEATURES = 0x1;
    /**
     * Leaf 1 ECX bit 24, TSC-deadline timer. KVM's in-kernel LAPIC implements the timer and
     * MSR_IA32_TSC_DEADLINE (0x6e0), but KVM_GET_SUPPORTED_CPUID leaves the bit clear because only
     * the VMM knows whether the LAPIC is in-kernel (ours always is). Without it Linux calibrates
     * the LAPIC timer against the PIT, which fails in a slow or loaded host ("APIC timer disabled
     * due to verification failure") and leaves the guest on the PIT.
     */
    static final int ECX_TSC_DEADLINE = 24;
    /** Leaf 0x80000007 (advanced power management). */
    static final int LEAF_APM = 0x80000007;
    /**
     * Leaf 0x80000007 EDX bit 8, invariant TSC. Hidden, as QEMU hides it by default: our guests
     * move between a desktop and a consolidation server whose TSCs differ in rate and value, and a
     * guest told its TSC is invariant prefers it to kvm-clock as clocksource (kvm-clock lowers its
     * rating) and would then keep time at the wrong rate after a move. kvm-clock corrects for the
     * move; it stays the clocksource and gives the TSC frequency (so leaves 0x15/0x16/0x40000010
     * are not needed either).
     */
    static final int EDX_INVARIANT_TSC = 8;

    private GuestCpuid() {}

    /** The leaves for a new VM on {@code kvm}. */
    public static Cpuid of(Kvm kvm) {
        var c = normalise(kvm.supportedCpuid(), kvm.checkExtension(KvmIoctl.CAP_TSC_DEADLINE_TIMER) > 0);
        return hostModelName().map(name -> withBrandString(c, name)).orElse(c);
    }

    /** Leaves 0x80000002..0x80000004: the processor brand string, 16 bytes each, NUL-terminated. */
    static final int LEAF_BRAND_FIRST = 0x80000002, BRAND_LEAVES = 3, BRAND_BYTES = 16 * BRAND_LEAVES;
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /**
     * The host CPU's name in the brand string leaves, which KVM reports empty (QEMU's -cpu host
     * fills them from the host's CPUID): without it the guest names its CPU after the family
     * alone ("AMD Hammer") in /proc/cpuinfo and its boot log. Leaves absent from {@code c} stay absent.
     */
    static Cpuid withBrandString(Cpuid c, String name) {
        byte[] b = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), BRAND_BYTES);
        b[BRAND_BYTES - 1] = 0;
        var words = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        var out = new ArrayList<Cpuid.Entry>(c.entries().size());
        for (var e : c.entries()) {
            int leaf = e.function() - LEAF_BRAND_FIRST;
            if (leaf >= 0 && leaf < BRAND_LEAVES && e.index() == 0) {
                int w = leaf * 4;
                e = new Cpuid.Entry(e.function(), 0, e.flags(), words.get(w), words.get(w + 1), words.get(w + 2), words.get(w + 3));
            }
            out.add(e);
        }
        return new Cpuid(List.copyOf(out));
    }

    /** The first "model name" in /proc/cpuinfo: the brand string of this host's CPU. */
    static Optional<String> hostModelName() {
        try (var lines = Files.lines(CPUINFO)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code supported} as a guest should see it. Everything else passes through unchanged, and
     * on purpose: x2APIC (leaf 1 ECX 21, which KVM reports because its in-kernel LAPIC emulates
     * it), ARAT (leaf 6, the LAPIC timer keeps running in idle: no PIT broadcast needed), and the
     * KVM leaves 0x40000000/0x40000001 with kvm-clock (CLOCKSOURCE, CLOCKSOURCE2, STABLE_BIT) and
     * the paravirtual features KVM handles entirely in the kernel (async page faults, steal time,
     * PV EOI, PV unhalt, PV TLB flush, PV IPIs, poll control): KVM reports only what it implements.
     */
    static Cpuid normalise(Cpuid supported, boolean tscDeadline) {
        var c = supported;
        if (tscDeadline) c = c.withBit(LEAF_FEATURES, Cpuid.Register.ECX, ECX_TSC_DEADLINE, true);
        return c.withBit(LEAF_APM, Cpuid.Register.EDX, EDX_INVARIANT_TSC, false);
    }
}
