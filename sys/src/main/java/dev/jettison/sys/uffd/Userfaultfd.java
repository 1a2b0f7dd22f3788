package dev.jettison.sys.uffd;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.SysException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A userfaultfd(2) in MISSING mode: the server side of partial migration registers guest RAM
 * with it, so that each first touch of a page (by a vCPU or by KVM itself) stops and waits until
 * we fill the page with {@link #copy} or {@link #zeroPage}.
 * Created without UFFD_USER_MODE_ONLY because KVM's own accesses to guest memory happen in
 * kernel mode and must be caught too (kvm-notes.md).
 */
public final class Userfaultfd implements AutoCloseable {
    private static final long UFFD_API = 0xAA;
    private static final long UFFDIO_API = 0xC018AA3FL;
    private static final long UFFDIO_REGISTER = 0xC020AA00L;
    private static final long UFFDIO_UNREGISTER = 0x8010AA01L;
    private static final long UFFDIO_WAKE = 0x8010AA02L;
    private static final long UFFDIO_COPY = 0xC028AA03L;
    private static final long UFFDIO_ZEROPAGE = 0xC020AA04L;
    private static final long USERFAULTFD_IOC_NEW = 0xAA00L;
    public static final long REGISTER_MODE_MISSING = 1;
    private static final int UFFD_EVENT_PAGEFAULT = 0x12;
    private static final long PAGEFAULT_FLAG_WRITE = 1;
    private static final long MSG_SIZE = 32;

    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment msg = arena.allocate(MSG_SIZE, 8);

    private Userfaultfd(Fd fd) {
        this.fd = fd;
    }

    /** A page fault read off the descriptor. */
    public record PageFault(long address, boolean write) {}

    /** Opens a non-blocking userfaultfd and performs the API handshake. */
    public static Userfaultfd open() {
        Fd fd;
        try {
            fd = new Fd((int) Libc.syscall(Libc.SYS_USERFAULTFD, Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0, 0,
                    "userfaultfd"), "userfaultfd");
        } catch (SysException e) {
            if (e.errno() != Errno.EPERM) throw e;
            // vm.unprivileged_userfaultfd = 0 and no CAP_SYS_PTRACE: /dev/userfaultfd may still be open to us.
            try (Fd dev = Fd.open("/dev/userfaultfd", Libc.O_RDWR | Libc.O_CLOEXEC, 0)) {
                fd = new Fd(Libc.ioctl(dev.get(), USERFAULTFD_IOC_NEW, Libc.O_CLOEXEC | Libc.O_NONBLOCK,
                        "USERFAULTFD_IOC_NEW"), "userfaultfd");
            } catch (SysException e2) {
                throw new SysException("userfaultfd", "syscall refused with EPERM and /dev/userfaultfd: "
                        + e2.getMessage() + "; run as root or set vm.unprivileged_userfaultfd=1", e.errno());
            }
        }
        var u = new Userfaultfd(fd);
        try (var a = Arena.ofConfined()) {
            var api = a.allocate(24, 8);
            api.set(JAVA_LONG, 0, UFFD_API);
            Libc.ioctl(fd.get(), UFFDIO_API, api, "UFFDIO_API");
        } catch (RuntimeException e) {
            u.close();
            throw e;
        }
        return u;
    }

    public Fd fd() { return fd; }

    /** Registers [start, start+length) for missing-page faults. */
    public void register(MemorySegment region) {
        try (var a = Arena.ofConfined()) {
            var reg = a.allocate(32, 8);
            reg.set(JAVA_LONG, 0, region.address());
            reg.set(JAVA_LONG, 8, region.byteSize());
            reg.set(JAVA_LONG, 16, REGISTER_MODE_MISSING);
            Libc.ioctl(fd.get(), UFFDIO_REGISTER, reg, "UFFDIO_REGISTER " + region.byteSize() + " bytes");
        }
    }

    public void unregister(MemorySegment region) {
        try (var a = Arena.ofConfined()) {
            var range = a.allocate(16, 8);
            range.set(JAVA_LONG, 0, region.address());
            range.set(JAVA_LONG, 8, region.byteSize());
            Libc.ioctl(fd.get(), UFFDIO_UNREGISTER, range, "UFFDIO_UNREGISTER");
        }
    }

    /** Reads the next page fault, or empty when none is pending (the fd is non-blocking). */
    public Optional<PageFault> readFault() {
        while (true) {
            long n = Libc.readOrErrno(fd.get(), msg, MSG_SIZE);
            if (n == -Errno.EAGAIN) return Optional.empty();
            if (n == -Errno.EINTR) continue;
            if (n != MSG_SIZE) throw new IllegalStateException("short userfaultfd message: " + n + " bytes");
            int event = Byte.toUnsignedInt(msg.get(JAVA_BYTE, 0));
            if (event != UFFD_EVENT_PAGEFAULT) continue; // fork/remap/remove events: not registered for
            long flags = msg.get(JAVA_LONG, 8);
            long address = msg.get(JAVA_LONG, 16);
            return Optional.of(new PageFault(address, (flags & PAGEFAULT_FLAG_WRITE) != 0));
        }
    }

    /**
     * Atomically fills [dst, dst+len) from {@code src} and wakes the faulting threads.
     * Returns false if the range was already populated (EEXIST): another fill won the race,
     * which is harmless.
     */
    public boolean copy(long dst, MemorySegment src, long len) {
        try (var a = Arena.ofConfined()) {
            var c = a.allocate(40, 8);
            c.set(JAVA_LONG, 0, dst);
            c.set(JAVA_LONG, 8, src.address());
            c.set(JAVA_LONG, 16, len);
            c.set(JAVA_LONG, 24, 0L);
            int r = Libc.ioctlOrErrno(fd.get(), UFFDIO_COPY, c, "UFFDIO_COPY at 0x" + Long.toHexString(dst),
                    Errno.EEXIST);
            if (r == -Errno.EEXIST) {
                wake(dst, len);
                return false;
            }
            return true;
        }
    }

    /** Maps zero pages at [dst, dst+len); false if already populated. */
    public boolean zeroPage(long dst, long len) {
        try (var a = Arena.ofConfined()) {
            var z = a.allocate(32, 8);
            z.set(JAVA_LONG, 0, dst);
            z.set(JAVA_LONG, 8, len);
            z.set(JAVA_LONG, 16, 0L);
            int r = Libc.ioctlOrErrno(fd.get(), UFFDIO_ZEROPAGE, z, "UFFDIO_ZEROPAGE at 0x" + Long.toHexString(dst),
                    Errno.EEXIST);
            if (r == -Errno.EEXIST) {
                wake(dst, len);
                return false;
            }
            return true;
        }
    }

    public void wake(long start, long len) {
        try (var a = Arena.ofConfined()) {
            var range = a.allocate(16, 8);
            range.set(JAVA_LONG, 0, start);
            range.set(JAVA_LONG, 8, len);
            Libc.ioctl(fd.get(), UFFDIO_WAKE, range, "UFFDIO_WAKE");
        }
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }
}
