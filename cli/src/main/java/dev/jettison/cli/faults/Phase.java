package dev.jettison.cli.faults;

import java.util.Arrays;

/** When in a VM's trip the fault strikes. */
public enum Phase {
    /** 0-300 ms after POST /consolidate was sent. */
    CONSOLIDATION("consolidation"),
    /** 1-5 s after the VM started running on the server. */
    REMOTE("remote"),
    /** 0-300 ms after POST /reintegrate was sent. */
    REINTEGRATION("reintegration");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() { return label; }

    static Phase parse(String s) {
        return Arrays.stream(values()).filter(p -> p.label.equals(s)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown phase '" + s + "' (consolidation, remote, reintegration)"));
    }
}
