package dev.jettison.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Interrupts a platform thread that is blocked in a system call (a vCPU in KVM_RUN) by sending
 * it a real-time signal whose handler does nothing: the call returns EINTR and the thread sees
 * whatever request was posted before the kick. The signal is kept blocked on the thread except
 * inside the call that should be interruptible (KVM does this with KVM_SET_SIGNAL_MASK), so a
 * kick sent just before the call is not lost: it stays pending and ends the call at once.
 * The JVM does not use real-time signals, so the handler cannot disturb it.
 */
public final class ThreadKick {
    /** SIGRTMIN (34 under glibc) + 6. */
    public static final int SIGNAL = 40;
    private static final long SIGSET_BYTES = 128;
    private static final Object LOCK = new Object();
    private static boolean installed;

    private final long thread;

    private ThreadKick(long thread) {
        this.thread = thread;
    }

    /** Installs the handler once per process (idempotent). */
    public static void installHandler() {
        synchronized (LOCK) {
            if (installed) return;
            // The handler must do nothing, and must be native: a Java upcall would crash the JVM if
            // a kick ever landed while the thread runs Java code. Any async-signal-safe libc function
            // that ignores its argument and changes no state will do; getpid is such a function.
            // struct sigaction: handler (8), sa_mask (128), sa_flags (4), pad, restorer (8). No
            // SA_RESTART: the interrupted call must return EINTR, not restart.
            MemorySegment act = Arena.global().allocate(152, 8);
            act.set(JAVA_LONG, 0, Libc.symbol("getpid").address());
            Libc.sigaction(SIGNAL, act, MemorySegment.NULL);
            installed = true;
        }
    }

    /**
     * Called on the thread to be kicked: blocks the signal there and returns its handle.
     * Calls that must be interruptible unblock it themselves ({@link #unblockedMask}).
     */
    public static ThreadKick forCurrentThread() {
        installHandler();
        try (var arena = Arena.ofConfined()) {
            var set = arena.allocate(SIGSET_BYTES, 8);
            setBit(set, SIGNAL);
            Libc.pthreadSigmask(Libc.SIG_BLOCK, set, MemorySegment.NULL);
        }
        return new ThreadKick(Libc.pthreadSelf());
    }

    /** The current thread's signal mask with the kick signal removed, as the kernel's 8-byte sigset. */
    public static long unblockedMask() {
        try (var arena = Arena.ofConfined()) {
            var old = arena.allocate(SIGSET_BYTES, 8);
            Libc.pthreadSigmask(Libc.SIG_BLOCK, MemorySegment.NULL, old);
            return old.get(JAVA_LONG, 0) & ~(1L << (SIGNAL - 1));
        }
    }

    /** Temporarily unblocks the signal on the current thread (for blocking calls that lack a mask argument). */
    public static void unblockCurrent(boolean unblock) {
        try (var arena = Arena.ofConfined()) {
            var set = arena.allocate(SIGSET_BYTES, 8);
            setBit(set, SIGNAL);
            Libc.pthreadSigmask(unblock ? Libc.SIG_UNBLOCK : Libc.SIG_BLOCK, set, MemorySegment.NULL);
        }
    }

    private static void setBit(MemorySegment set, int signal) {
        long word = set.get(JAVA_LONG, 0);
        set.set(JAVA_LONG, 0, word | (1L << (signal - 1)));
    }

    /**
     * Takes a pending kick off the current thread without running the handler. KVM returns
     * EINTR with the signal still pending (it restores the blocking mask before the signal can
     * be delivered), so without this every later KVM_RUN would return EINTR at once.
     */
    public static int consumePending() {
        try (var arena = Arena.ofConfined()) {
            var set = arena.allocate(SIGSET_BYTES, 8);
            setBit(set, SIGNAL);
            var info = arena.allocate(128, 8);
            var zero = arena.allocate(16, 8);
            int drained = 0;
            while (Libc.sigtimedwait(set, info, zero) == SIGNAL) drained++; // real-time signals queue
            return drained;
        }
    }

    /** Interrupts the thread's current (or next) interruptible call. */
    public void kick() {
        Libc.pthreadKill(thread, SIGNAL);
    }
}
