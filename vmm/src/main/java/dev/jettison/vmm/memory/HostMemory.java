package dev.jettison.vmm.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much memory this host has, to refuse a guest that could never fit. */
public final class HostMemory {
    private HostMemory() {}

    /** MemTotal from /proc/meminfo in bytes, or -1 if unreadable. */
    public static long totalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Throws if a guest of {@code ramBytes} cannot fit in this host's memory. */
    public static void checkFits(long ramBytes) {
        long total = totalBytes();
        if (total > 0 && ramBytes > total) {
            throw new IllegalArgumentException("guest RAM of " + ramBytes / MemoryLayout.MIB + " MiB exceeds this host's "
                    + total / MemoryLayout.MIB + " MiB of memory");
        }
    }
}
