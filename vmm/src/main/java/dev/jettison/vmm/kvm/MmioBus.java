package dev.jettison.vmm.kvm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guest-physical addresses that are neither RAM nor an in-kernel device (LAPIC, IOAPIC).
 * The jettison-pc machine has no MMIO devices of its own, so every access lands here: reads
 * return all ones, writes are dropped, and each page is logged once.
 */
public final class MmioBus {
    private static final Logger LOG = LoggerFactory.getLogger(MmioBus.class);
    private final Set<Long> reported = ConcurrentHashMap.newKeySet();

    public long read(long address, int length) {
        note(address, "read");
        return length >= 8 ? -1L : (1L << (8 * length)) - 1;
    }

    public void write(long address, int length, long value) {
        note(address, "write");
    }

    private void note(long address, String what) {
        if (reported.add(address >>> 12)) {
            LOG.info("guest {} of unclaimed MMIO address 0x{} (reported once per page)", what, Long.toHexString(address));
        }
    }
}
