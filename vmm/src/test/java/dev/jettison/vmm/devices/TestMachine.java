package dev.jettison.vmm.devices;

import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.MemoryRegion;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Guest RAM in plain host memory, interrupt lines that record their level, and a machine that records requests. */
public final class TestMachine implements MachineControl {
    public final List<String> resets = new ArrayList<>();
    public final List<Integer> powerOffs = new ArrayList<>();
    public final Map<Integer, RecordingLine> lines = new ConcurrentHashMap<>();

    public static GuestMemory memory(long bytes) {
        return new GuestMemory(List.of(new MemoryRegion(0, 0, Arena.ofAuto().allocate(bytes, 4096))));
    }

    public RecordingLine line(int gsi) { return lines.computeIfAbsent(gsi, g -> new RecordingLine()); }

    @Override
    public synchronized void reset(String why) { resets.add(why); }

    @Override
    public synchronized void powerOff(int status) { powerOffs.add(status); }

    /** An interrupt line that remembers its level and every change. */
    public static final class RecordingLine implements InterruptLine {
        private volatile boolean high;
        public final List<Boolean> history = new ArrayList<>();

        @Override
        public synchronized void set(boolean level) {
            high = level;
            history.add(level);
        }

        public boolean high() { return high; }

        public synchronized int rises() {
            int n = 0;
            boolean prev = false;
            for (boolean b : history) {
                if (b && !prev) n++;
                prev = b;
            }
            return n;
        }
    }
}
