package dev.jettison.migration.wire;

import java.io.IOException;

/**
 * A frame that must not be believed: the only exception {@link Codec} lets out for bad input.
 * {@link Kind#framingIntact()} says whether the byte stream is still in step (the frame was
 * whole and its checksum right, only its content was refused), so a server can answer with an
 * Error and carry on, or must drop the connection.
 */
public final class ProtocolException extends IOException {
    /** What was wrong with the frame. */
    public enum Kind {
        BAD_MAGIC(false),
        UNSUPPORTED_VERSION(false),
        UNKNOWN_TYPE(false),
        BAD_FLAGS(false),
        TOO_LONG(false),
        TRUNCATED(false),
        BAD_CHECKSUM(false),
        /** Checksum right but the payload does not parse as its message type. */
        MALFORMED(true),
        /** A page or block number (or a run of them) outside the VM from the Hello. */
        OUT_OF_RANGE(true);

        private final boolean framingIntact;

        Kind(boolean framingIntact) { this.framingIntact = framingIntact; }

        public boolean framingIntact() { return framingIntact; }
    }

    private final Kind kind;

    public ProtocolException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
