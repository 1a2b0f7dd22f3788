package dev.jettison.sim.gen;

import dev.jettison.sim.trace.FaultRecord;
import dev.jettison.sim.trace.FaultTraceHeader;
import java.util.List;

/**
 * One generated consolidation: its demand faults in time order and the working set it was drawn for.
 * {@code targetPages} is the memory working set the generator aimed at by the calibration horizon.
 */
public record GeneratedConsolidation(FaultTraceHeader header, double durationSeconds, long targetPages, List<FaultRecord> faults) {

    public long memoryPages() {
        return faults.stream().filter(f -> f.kind() == FaultRecord.Kind.PAGE).count();
    }

    public double[] faultTimesSeconds() {
        double[] t = new double[faults.size()];
        for (int i = 0; i < t.length; i++) t[i] = faults.get(i).tMillis() / 1000.0;
        return t;
    }
}
