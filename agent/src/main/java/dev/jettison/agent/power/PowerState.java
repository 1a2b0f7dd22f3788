package dev.jettison.agent.power;

import dev.jettison.core.energy.PowerProfile;

/**
 * The desktop's power states during a microsleep (§3.3) and the power each draws (Table 1, §5.1).
 * A microsleep is the cycle AWAKE → SUSPENDING → ASLEEP → RESUMING → AWAKE. The one shortcut is
 * SUSPENDING → RESUMING: a suspend the kernel aborts (a device refused) resumes what it had
 * already suspended without ever reaching S3.
 */
public enum PowerState {
    /** Powered and idle, serving requests: P_i. */
    AWAKE,
    /** Entering S3, t_o at P_o. */
    SUSPENDING,
    /** In S3, P_s; deaf to everything but a wake event. */
    ASLEEP,
    /** Leaving S3, t_r at P_r. */
    RESUMING;

    public boolean canGoTo(PowerState next) {
        return switch (this) {
            case AWAKE -> next == SUSPENDING;
            case SUSPENDING -> next == ASLEEP || next == RESUMING;
            case ASLEEP -> next == RESUMING;
            case RESUMING -> next == AWAKE;
        };
    }

    /** Returns {@code next}, or throws naming both states if the desktop cannot go there from here. */
    public PowerState checkTransition(PowerState next) {
        if (!canGoTo(next)) {
            throw new IllegalStateException("illegal power state transition " + this + " -> " + next
                    + ": from " + this + " a desktop can only go to " + successors());
        }
        return next;
    }

    /** The draw in this state according to {@code profile} (Table 1 columns, §5.1). */
    public double watts(PowerProfile profile) {
        return switch (this) {
            case AWAKE -> profile.idleWatts();
            case SUSPENDING -> profile.suspendWatts();
            case ASLEEP -> profile.sleepWatts();
            case RESUMING -> profile.resumeWatts();
        };
    }

    private String successors() {
        var sb = new StringBuilder();
        for (PowerState s : values()) {
            if (canGoTo(s)) sb.append(sb.isEmpty() ? "" : " or ").append(s);
        }
        return sb.toString();
    }
}
