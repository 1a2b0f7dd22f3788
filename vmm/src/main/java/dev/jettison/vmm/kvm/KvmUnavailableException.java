package dev.jettison.vmm.kvm;

/** This host cannot run our VMs; the message says why and what to do about it. */
public final class KvmUnavailableException extends RuntimeException {
    public KvmUnavailableException(String message) { super(message); }

    public KvmUnavailableException(String message, Throwable cause) { super(message, cause); }
}
