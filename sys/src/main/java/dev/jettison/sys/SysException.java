package dev.jettison.sys;

/**
 * A failed system call: names the call, the arguments that matter and the errno text, so
 * that an operator reading a log knows what was asked of the kernel and why it refused.
 */
public final class SysException extends RuntimeException {
    private final String call;
    private final int errno;

    public SysException(String call, String detail, int errno) {
        super(call + (detail.isEmpty() ? "" : "(" + detail + ")") + " failed: "
                + Libc.strerror(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() { return call; }

    public int errno() { return errno; }
}
