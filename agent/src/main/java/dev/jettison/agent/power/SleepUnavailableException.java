package dev.jettison.agent.power;

import java.io.IOException;
import java.util.List;

/** This host cannot be suspended by us; the message lists every reason at once, so one fix-up round suffices. */
public final class SleepUnavailableException extends IOException {
    private final List<String> problems;

    public SleepUnavailableException(List<String> problems) {
        super("cannot suspend this host to RAM (S3): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
