package dev.jettison.sys;

/**
 * An owned file descriptor. Closing it twice is harmless, so that try-with-resources and an
 * explicit close on an error path can both run.
 */
public final class Fd implements AutoCloseable {
    private final String what;
    private volatile int fd;

    public Fd(int fd, String what) {
        if (fd < 0) throw new IllegalArgumentException("invalid fd " + fd + " for " + what);
        this.fd = fd;
        this.what = what;
    }

    public static Fd open(String path, int flags, int mode) {
        return new Fd(Libc.open(path, flags, mode), path);
    }

    /** The raw descriptor; throws if already closed so no call reaches a reused number. */
    public int get() {
        int f = fd;
        if (f < 0) throw new IllegalStateException(what + " is closed");
        return f;
    }

    public boolean isOpen() { return fd >= 0; }

    public String what() { return what; }

    @Override
    public void close() {
        int f;
        synchronized (this) {
            f = fd;
            fd = -1;
        }
        if (f >= 0) Libc.close(f);
    }

    @Override
    public String toString() { return what + " (fd " + fd + ")"; }
}
