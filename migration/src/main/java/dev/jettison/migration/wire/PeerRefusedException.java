package dev.jettison.migration.wire;

import java.io.IOException;

/**
 * A peer was refused for who it is: no valid certificate of the site CA, a revoked one, or one
 * that does not allow what the peer asked for. The message is for this side's log; the peer is
 * told nothing that names a VM.
 */
public final class PeerRefusedException extends IOException {
    public PeerRefusedException(String message) {
        super(message);
    }

    public PeerRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
