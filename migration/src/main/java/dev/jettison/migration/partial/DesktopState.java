package dev.jettison.migration.partial;

/** Where a desktop's VM is (paper §3.1): running here, on its way, on the server, or coming home. */
public enum DesktopState {
    LOCAL, CONSOLIDATING, REMOTE, REINTEGRATING;
}
