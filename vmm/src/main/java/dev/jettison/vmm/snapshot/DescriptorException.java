package dev.jettison.vmm.snapshot;

/** A descriptor we refuse to restore; the message names the field or check that failed. */
public final class DescriptorException extends Exception {
    public DescriptorException(String message) { super(message); }
}
