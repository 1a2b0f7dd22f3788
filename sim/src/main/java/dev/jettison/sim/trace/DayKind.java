package dev.jettison.sim.trace;

/** The paper simulates weekdays and weekends separately because users behave differently (§6). */
public enum DayKind { WEEKDAY, WEEKEND }
