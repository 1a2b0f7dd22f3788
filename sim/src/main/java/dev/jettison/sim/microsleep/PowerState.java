package dev.jettison.sim.microsleep;

/** Where a desktop serving a consolidated VM spends its time (equation 2, §3.3). */
public enum PowerState { AWAKE, SUSPENDING, ASLEEP, RESUMING }
