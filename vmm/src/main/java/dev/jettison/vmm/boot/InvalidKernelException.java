package dev.jettison.vmm.boot;

/** A kernel image we cannot boot; the message says what is wrong with it. */
public final class InvalidKernelException extends RuntimeException {
    public InvalidKernelException(String message) { super(message); }
}
