package dev.jettison.cli.faults;

import java.util.Map;
import java.util.Optional;

/** Reads both daemons' status pages, as a user would; empty when a daemon does not answer in time. */
public interface StatusProbe {
    /** The desktop's state for its VM: LOCAL, CONSOLIDATING, REMOTE or REINTEGRATING. */
    Optional<String> desktopState();

    /** The server's VMs and their states: RUNNING, FENCED or GOING_HOME. */
    Optional<Map<String, String>> serverVms();
}
