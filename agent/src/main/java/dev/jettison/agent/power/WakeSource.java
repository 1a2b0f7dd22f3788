package dev.jettison.agent.power;

/** What ended a microsleep. */
public enum WakeSource {
    /** The server's remoteWakeup sent a magic packet for this desktop's MAC (§4). */
    MAGIC_PACKET,
    /** The agent woke the desktop itself: the user came back and the VM reintegrates (§4). */
    LOCAL,
    /**
     * Real S3 on the host: the NIC's Wake-on-LAN, a key press or the RTC woke the hardware; the
     * kernel does not tell user space which.
     */
    HARDWARE,
    /**
     * The host's suspend call failed after it was issued (e.g. a driver refused with EBUSY); the
     * meter counts the time as asleep although the host may not have slept, and says so here.
     */
    SUSPEND_FAILED
}
