package dev.jettison.migration.wire;

import java.util.HashSet;
import java.util.Set;

/**
 * The consolidation epoch a desktop-side service (memserv, diskserv) serves now, and the
 * connections it serves it on: when the epoch ends (the VM came home, or the desktop resumed
 * its residue) they are closed, so a server still running that epoch's VM can read nothing more.
 */
public final class SessionConnections {
    private SessionId current = SessionId.NONE;
    private final Set<Transport> open = new HashSet<>();

    public synchronized SessionId current() { return current; }

    public synchronized void open(SessionId session) {
        if (!current.equals(session)) closeAll();
        current = session;
    }

    public synchronized void end() {
        current = SessionId.NONE;
        closeAll();
    }

    /** Records {@code t} as serving {@code session}; false (and {@code t} closed) if that epoch ended meanwhile. */
    public synchronized boolean join(SessionId session, Transport t) {
        if (session.isNone() || !session.equals(current)) {
            t.close();
            return false;
        }
        open.add(t);
        return true;
    }

    public synchronized void leave(Transport t) {
        open.remove(t);
    }

    private void closeAll() {
        for (Transport t : open) t.close();
        open.clear();
    }
}
