package dev.jettison.cli.faults;

import java.nio.file.Path;

/**
 * What one run found.
 *
 * @param placement      where the VM was once settled (or why it never settled)
 * @param settleMillis   from the fault's injection until the VM was on one side for good; -1 if never
 * @param bothSeen       what was seen if the VM ever ran on both sides, else null
 * @param guestBadBytes  the guest's own {@code verify} (memory + disk) after settling; -1 if it could not be asked
 * @param imageBadBytes  the disk image checked from outside after the guest halted; -1 if not reached
 * @param failure        why the run failed, or null if it passed
 * @param logs           where the run's logs are
 */
public record RunResult(FaultPlan plan, Placement placement, long settleMillis, String bothSeen, long guestBadBytes,
                        long imageBadBytes, String failure, Path logs) {
    public boolean passed() { return failure == null; }

    public boolean oneSide() { return placement.settled() && bothSeen == null; }
}
