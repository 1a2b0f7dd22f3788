package dev.jettison.core.energy;

/**
 * How much power a desktop draws in each state and how long its S3 transitions take.
 * Equations (1)-(3) of the paper (§3.3) need nothing else.
 *
 * @param suspendSeconds t_o, time to enter S3
 * @param suspendWatts   P_o
 * @param resumeSeconds  t_r, time to leave S3
 * @param resumeWatts    P_r
 * @param idleWatts      P_i, powered but idle
 * @param sleepWatts     P_s, in S3
 * @param networkWatts   powered and moving VM state over the network
 */
public record PowerProfile(String name, double suspendSeconds, double suspendWatts, double resumeSeconds,
                           double resumeWatts, double idleWatts, double sleepWatts, double networkWatts) {

    /** Dell Studio XPS 7100: suspend 8.38 s at 107.90 W (Table 1, §5.1). */
    public static final double TABLE1_SUSPEND_S = 8.38;
    public static final double TABLE1_SUSPEND_W = 107.90;
    /** Resume 8.58 s at 121.72 W (Table 1, §5.1). */
    public static final double TABLE1_RESUME_S = 8.58;
    public static final double TABLE1_RESUME_W = 121.72;
    /** Idle 61.40 W (Table 1, §5.1). */
    public static final double TABLE1_IDLE_W = 61.40;
    /** Sleep (S3) 1.95 W (Table 1, §5.1). */
    public static final double TABLE1_SLEEP_W = 1.95;
    /** Network transfer 136.63 W (Table 1, §5.1). */
    public static final double TABLE1_NETWORK_W = 136.63;
    /** The faster desktop of Figure 7: 2 s suspend and 2 s resume, like a MacBook Air (§5.2). */
    public static final double FAST_TRANSITION_S = 2.0;

    /** The deployment's desktop (Table 1). */
    public static final PowerProfile TABLE_1 = new PowerProfile("Dell Studio XPS 7100 (Table 1)",
            TABLE1_SUSPEND_S, TABLE1_SUSPEND_W, TABLE1_RESUME_S, TABLE1_RESUME_W,
            TABLE1_IDLE_W, TABLE1_SLEEP_W, TABLE1_NETWORK_W);

    /** Table 1 with 2 s transitions: the second estimate of Figure 7 (§5.2). */
    public static final PowerProfile FAST_2S = TABLE_1.withTransitions("Table 1 with 2 s suspend/resume (§5.2)",
            FAST_TRANSITION_S, FAST_TRANSITION_S);

    public PowerProfile {
        if (suspendSeconds < 0 || resumeSeconds < 0) throw new IllegalArgumentException("negative transition time");
        if (!(idleWatts > sleepWatts)) {
            throw new IllegalArgumentException("idle power " + idleWatts + " W must exceed sleep power " + sleepWatts
                    + " W, or sleeping never pays off");
        }
    }

    public PowerProfile withTransitions(String newName, double suspendS, double resumeS) {
        return new PowerProfile(newName, suspendS, suspendWatts, resumeS, resumeWatts, idleWatts, sleepWatts, networkWatts);
    }

    /** Energy of one suspend plus one resume, joules: the worst-case E_mu of equation (4). */
    public double transitionJoules() {
        return suspendWatts * suspendSeconds + resumeWatts * resumeSeconds;
    }
}
