package dev.jettison.cli.bench;

import java.time.Duration;

/** What every system in one benchmark run gets alike: the guest, its idle and remote periods, repetitions. */
record BenchSettings(String mem, long memBytes, int warmMib, double idleSpeed, double idleSeconds, double remoteSeconds,
                     int runs, String prefetch, Duration timeout) {
    String cmdline() {
        return "prog=idle idle.warm_mib=" + warmMib + (idleSpeed == 1 ? "" : " idle.speed=" + idleSpeed);
    }
}
