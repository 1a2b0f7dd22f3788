package dev.jettison.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls Jettison needs, bound once through java.lang.foreign. Every wrapper that can
 * fail captures errno in the same call (a later JVM-internal call could overwrite it) and
 * throws {@link SysException} naming the call and its key arguments. Nothing outside this
 * module calls native code.
 */
public final class Libc {
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_TRUNC = 01000,
            O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4, MADV_REMOVE = 9, MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15;
    public static final int EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;
    public static final short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10;
    public static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    public static final long SYS_USERFAULTFD = 323;
    public static final long PAGE_SIZE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURED =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle PREAD = bind("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle PWRITE = bind("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), -1);
    private static final MethodHandle IOCTL_PTR = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle IOCTL_LONG = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle MADVISE = bind("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle FSYNC = bind("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle SYSCALL3 = bind("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle PTHREAD_SELF = bindPlain("pthread_self", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle PTHREAD_KILL = bindPlain("pthread_kill", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK = bindPlain("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGACTION = bind("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), -1);
    private static final MethodHandle MINCORE = bind("mincore", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), -1);
    private static final MethodHandle SIGTIMEDWAIT = bind("sigtimedwait", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), -1);
    private static final MethodHandle STRERROR = bindPlain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETPID = bindPlain("getpid", FunctionDescriptor.of(JAVA_INT));

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd, int firstVariadic) {
        var address = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return firstVariadic < 0
                ? LINKER.downcallHandle(address, fd, capture)
                : LINKER.downcallHandle(address, fd, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MethodHandle bindPlain(String name, FunctionDescriptor fd) {
        var address = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(address, fd);
    }

    /** The address of a libc function, for kernel interfaces that take a code pointer. */
    public static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static MemorySegment capture() { return CAPTURED.get(); }

    private static int errno(MemorySegment captured) { return (int) ERRNO.get(captured, 0L); }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private static int check(int result, MemorySegment captured, String call, String detail) {
        if (result == -1) throw new SysException(call, detail, errno(captured));
        return result;
    }

    private static long check(long result, MemorySegment captured, String call, String detail) {
        if (result == -1) throw new SysException(call, detail, errno(captured));
        return result;
    }

    public static String strerror(int errno) {
        try {
            var p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    public static int open(String path, int flags, int mode) {
        try (var arena = Arena.ofConfined()) {
            var c = capture();
            int fd = (int) OPEN.invokeExact(c, arena.allocateFrom(path), flags, mode);
            return check(fd, c, "open", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            var c = capture();
            check((int) CLOSE.invokeExact(c, fd), c, "close", "fd " + fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2); returns the count, or -1 with errno EAGAIN/EINTR left to the caller via {@link #readOrErrno}. */
    public static long read(int fd, MemorySegment buf, long count) {
        try {
            var c = capture();
            return check((long) READ.invokeExact(c, fd, buf, count), c, "read", "fd " + fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) that reports EAGAIN and EINTR as a negative errno instead of throwing. */
    public static long readOrErrno(int fd, MemorySegment buf, long count) {
        try {
            var c = capture();
            long n = (long) READ.invokeExact(c, fd, buf, count);
            if (n >= 0) return n;
            int e = errno(c);
            if (e == Errno.EAGAIN || e == Errno.EINTR) return -e;
            throw new SysException("read", "fd " + fd, e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long count) {
        try {
            var c = capture();
            return check((long) WRITE.invokeExact(c, fd, buf, count), c, "write", "fd " + fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        try {
            var c = capture();
            return check((long) PREAD.invokeExact(c, fd, buf, count, offset), c, "pread",
                    "fd " + fd + ", " + count + " bytes at " + offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        try {
            var c = capture();
            return check((long) PWRITE.invokeExact(c, fd, buf, count, offset), c, "pwrite",
                    "fd " + fd + ", " + count + " bytes at " + offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument; {@code name} is the request's symbolic name for errors. */
    public static int ioctl(int fd, long request, MemorySegment arg, String name) {
        try {
            var c = capture();
            return check((int) IOCTL_PTR.invokeExact(c, fd, request, arg), c, "ioctl", name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with an integer argument. */
    public static int ioctl(int fd, long request, long arg, String name) {
        try {
            var c = capture();
            return check((int) IOCTL_LONG.invokeExact(c, fd, request, arg), c, "ioctl", name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) that returns -errno for the errnos in {@code tolerated} instead of throwing. */
    public static int ioctlOrErrno(int fd, long request, long arg, String name, int... tolerated) {
        try {
            var c = capture();
            int r = (int) IOCTL_LONG.invokeExact(c, fd, request, arg);
            if (r != -1) return r;
            int e = errno(c);
            for (int t : tolerated) if (t == e) return -e;
            throw new SysException("ioctl", name, e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctlOrErrno(int fd, long request, MemorySegment arg, String name, int... tolerated) {
        try {
            var c = capture();
            int r = (int) IOCTL_PTR.invokeExact(c, fd, request, arg);
            if (r != -1) return r;
            int e = errno(c);
            for (int t : tolerated) if (t == e) return -e;
            throw new SysException("ioctl", name, e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            var c = capture();
            var p = (MemorySegment) MMAP.invokeExact(c, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (p.address() == -1L) {
                throw new SysException("mmap", length + " bytes, prot " + prot + ", flags 0x"
                        + Integer.toHexString(flags) + ", fd " + fd, errno(c));
            }
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munmap(MemorySegment addr, long length) {
        try {
            var c = capture();
            check((int) MUNMAP.invokeExact(c, addr, length), c, "munmap", length + " bytes");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void madvise(MemorySegment addr, long length, int advice) {
        try {
            var c = capture();
            check((int) MADVISE.invokeExact(c, addr, length, advice), c, "madvise",
                    length + " bytes, advice " + advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int eventfd(int initval, int flags) {
        try {
            var c = capture();
            return check((int) EVENTFD.invokeExact(c, initval, flags), c, "eventfd", "");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2); returns the number of ready fds, 0 on timeout, or -EINTR. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMs) {
        try {
            var c = capture();
            int r = (int) POLL.invokeExact(c, fds, nfds, timeoutMs);
            if (r >= 0) return r;
            int e = errno(c);
            if (e == Errno.EINTR) return -e;
            throw new SysException("poll", nfds + " fds", e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fsync(int fd) {
        try {
            var c = capture();
            check((int) FSYNC.invokeExact(c, fd), c, "fsync", "fd " + fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        try {
            var c = capture();
            check((int) FTRUNCATE.invokeExact(c, fd, length), c, "ftruncate", "fd " + fd + " to " + length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long syscall(long number, long a1, long a2, long a3, String name) {
        try {
            var c = capture();
            return check((long) SYSCALL3.invokeExact(c, number, a1, a2, a3), c, name, "");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pthreadSelf() {
        try {
            return (long) PTHREAD_SELF.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void pthreadKill(long thread, int signal) {
        try {
            int r = (int) PTHREAD_KILL.invokeExact(thread, signal);
            if (r != 0) throw new SysException("pthread_kill", "signal " + signal, r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void pthreadSigmask(int how, MemorySegment set, MemorySegment old) {
        try {
            int r = (int) PTHREAD_SIGMASK.invokeExact(how, set, old);
            if (r != 0) throw new SysException("pthread_sigmask", "how " + how, r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void sigaction(int signal, MemorySegment act, MemorySegment old) {
        try {
            var c = capture();
            check((int) SIGACTION.invokeExact(c, signal, act, old), c, "sigaction", "signal " + signal);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mincore(2): one byte per page of [addr, addr+length), bit 0 set where the page is resident. */
    public static void mincore(MemorySegment addr, long length, MemorySegment vec) {
        try {
            var c = capture();
            check((int) MINCORE.invokeExact(c, addr, length, vec), c, "mincore", length + " bytes");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** sigtimedwait(2); returns the signal taken, or -EAGAIN when none was pending before the timeout. */
    public static int sigtimedwait(MemorySegment set, MemorySegment info, MemorySegment timeout) {
        try {
            var c = capture();
            int r = (int) SIGTIMEDWAIT.invokeExact(c, set, info, timeout);
            if (r >= 0) return r;
            int e = errno(c);
            if (e == Errno.EAGAIN || e == Errno.EINTR) return -e;
            throw new SysException("sigtimedwait", "", e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
