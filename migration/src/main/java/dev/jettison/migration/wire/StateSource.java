package dev.jettison.migration.wire;

import java.util.Objects;

/**
 * Where a consolidated VM's pages or blocks come from: the VM, its consolidation epoch, how to
 * reach the desktop's service, and whom to tell once if the desktop says that epoch has ended
 * (the VM here is then an orphan and must go).
 */
public record StateSource(String vmId, SessionId session, Connector connector, Runnable onEnded) {
    public StateSource {
        if (!Wire.validVmId(vmId)) throw new IllegalArgumentException("VM id must be " + Wire.VM_ID_RULE + ": '" + vmId + "'");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(onEnded, "onEnded");
    }

    public static StateSource of(String vmId, SessionId session, Connector connector) {
        return new StateSource(vmId, session, connector, () -> { });
    }

    /** The Hello that opens a connection to this source: the server side, with the VM's size. */
    public Message.Hello hello(long ramBytes, long diskBytes) {
        return Message.Hello.of(vmId, session, ramBytes, diskBytes, Role.SERVER);
    }
}
