package dev.jettison.vmm.memory;

/** A guest (or a peer) named memory that is not guest RAM. */
public final class GuestMemoryException extends RuntimeException {
    public GuestMemoryException(String message) { super(message); }
}
