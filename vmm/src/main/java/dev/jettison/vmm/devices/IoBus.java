package dev.jettison.vmm.devices;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The I/O port space: ranges of ports mapped to devices. An access no device claims reads as
 * all ones (what an empty ISA bus returns) and is logged once per port, so a guest probing
 * for hardware we do not have is visible but harmless.
 */
public final class IoBus {
    private static final Logger LOG = LoggerFactory.getLogger(IoBus.class);

    private record Mapping(int base, int length, IoDevice device, String name) {}

    private final TreeMap<Integer, Mapping> mappings = new TreeMap<>();
    private final Set<Integer> reportedUnknown = ConcurrentHashMap.newKeySet();

    public synchronized void register(int base, int length, IoDevice device, String name) {
        if (base < 0 || length <= 0 || base + length > 0x10000) {
            throw new IllegalArgumentException("port range 0x" + Integer.toHexString(base) + "+" + length + " for " + name);
        }
        var below = mappings.floorEntry(base + length - 1);
        if (below != null && below.getValue().base() + below.getValue().length() > base) {
            throw new IllegalArgumentException(name + " at 0x" + Integer.toHexString(base)
                    + " overlaps " + below.getValue().name());
        }
        mappings.put(base, new Mapping(base, length, device, name));
    }

    private Mapping find(int port) {
        Map.Entry<Integer, Mapping> e;
        synchronized (this) {
            e = mappings.floorEntry(port);
        }
        if (e == null) return null;
        var m = e.getValue();
        return port < m.base() + m.length() ? m : null;
    }

    public int read(int port, int size) {
        var m = find(port);
        if (m == null) {
            unknown(port, "read");
            return (int) ((1L << (8 * size)) - 1);
        }
        return m.device().read(port - m.base(), size);
    }

    public void write(int port, int size, int value) {
        var m = find(port);
        if (m == null) {
            unknown(port, "write");
            return;
        }
        m.device().write(port - m.base(), size, value);
    }

    private void unknown(int port, String what) {
        if (reportedUnknown.add(port)) {
            LOG.info("guest {} of unclaimed I/O port 0x{} (reported once)", what, Integer.toHexString(port));
        }
    }
}
