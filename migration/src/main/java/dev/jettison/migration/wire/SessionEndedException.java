package dev.jettison.migration.wire;

import java.io.IOException;

/**
 * The desktop does not serve the epoch a Hello asked for: it has ended that consolidation (the VM
 * came home, or the desktop resumed its residue). Retrying cannot help; the asker must give the
 * epoch up.
 */
public final class SessionEndedException extends IOException {
    public SessionEndedException(String peer, Message.Hello asked) {
        super(peer + " no longer serves VM " + asked.vmId() + " epoch " + asked.session());
    }
}
