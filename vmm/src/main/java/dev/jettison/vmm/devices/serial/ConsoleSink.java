package dev.jettison.vmm.devices.serial;

import java.util.List;

/**
 * Where a guest's console output goes, one byte at a time as the UART transmits it. Called on
 * vCPU threads, so implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ConsoleSink {
    void accept(byte b);

    /** Sends every byte to each of {@code sinks} in order (e.g. a log file and a line collector). */
    static ConsoleSink tee(ConsoleSink... sinks) {
        var all = List.of(sinks);
        return b -> {
            for (var s : all) s.accept(b);
        };
    }

    /** Discards output. */
    static ConsoleSink discard() {
        return b -> {};
    }
}
