package dev.jettison.sys.uffd;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.SysException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;


/**
 * A userfaultfd(2) in MISSING mode: the server side of partial migration registers guest RAM
 * with it, so that each first touch of a page (by a vCPU or by KVM itself) stops and waits until
 * we fill the page with {@link #copy} or {@link #zeroPage}.
 * Created without UFFD_USER_MODE_ONLY because KVM's own accesses to guest memory happen in
 * kernel mode and must be caught too (kvm-notes.md).
 */
public final class Userfaultfd implements AutoCloseable {
    private static final long UFFD_API = 0xAA;
    public static final long REGISTER_MODE_MISSING = 1;
    private static final int UFFD_EVENT_PAGEFAULT = 0x12;
    private static final long PAGEFAULT_FLAG_WRITE = 1;
    private static final long MSG_SIZE = UffdStructs.MSG.byteSize();

    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment msg = arena.allocate(UffdStructs.MSG);

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
                fd = new Fd(Libc.ioctl(dev.get(), UffdStructs.USERFAULTFD_IOC_NEW, Libc.O_CLOEXEC | Libc.O_NONBLOCK,
                        "USERFAULTFD_IOC_NEW"), "userfaultfd");
            } catch (SysException e2) {
                throw new SysException("userfaultfd", "syscall refused with EPERM and /dev/userfaultfd: "
                        + e2.getMessage() + "; run as root or set vm.unprivileged_userfaultfd=1", e.errno());
            }
        }
        var u = new Userfaultfd(fd);
        try (var a = Arena.ofConfined()) {
            var api = a.allocate(UffdStructs.API);
            UffdStructs.API_API.set(api, UFFD_API);
            Libc.ioctl(fd.get(), UffdStructs.UFFDIO_API, api, "UFFDIO_API");
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
            var reg = a.allocate(UffdStructs.REGISTER);
            UffdStructs.REGISTER_START.set(reg, region.address());
            UffdStructs.REGISTER_LEN.set(reg, region.byteSize());
            UffdStructs.REGISTER_MODE.set(reg, REGISTER_MODE_MISSING);
            Libc.ioctl(fd.get(), UffdStructs.UFFDIO_REGISTER, reg, "UFFDIO_REGISTER " + region.byteSize() + " bytes");
        }
    }

    public void unregister(MemorySegment region) {
        try (var a = Arena.ofConfined()) {
            Libc.ioctl(fd.get(), UffdStructs.UFFDIO_UNREGISTER, range(a, region.address(), region.byteSize()),
                    "UFFDIO_UNREGISTER");
        }
    }

    /** Reads the next page fault, or empty when none is pending (the fd is non-blocking). */
    public Optional<PageFault> readFault() {
        while (true) {
            long n = Libc.readOrErrno(fd.get(), msg, MSG_SIZE);
            if (n == -Errno.EAGAIN) return Optional.empty();
            if (n == -Errno.EINTR) continue;
            if (n != MSG_SIZE) throw new IllegalStateException("short userfaultfd message: " + n + " bytes");
            int event = Byte.toUnsignedInt((byte) UffdStructs.MSG_EVENT.get(msg));
            if (event != UFFD_EVENT_PAGEFAULT) continue; // fork/remap/remove events: not registered for
            long flags = (long) UffdStructs.MSG_PAGEFAULT_FLAGS.get(msg);
            long address = (long) UffdStructs.MSG_PAGEFAULT_ADDRESS.get(msg);
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
            var c = a.allocate(UffdStructs.COPY);
            UffdStructs.COPY_DST.set(c, dst);
            UffdStructs.COPY_SRC.set(c, src.address());
            UffdStructs.COPY_LEN.set(c, len);
            int r = Libc.ioctlOrErrno(fd.get(), UffdStructs.UFFDIO_COPY, c, "UFFDIO_COPY at 0x" + Long.toHexString(dst),
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
            var z = a.allocate(UffdStructs.ZEROPAGE);
            UffdStructs.ZEROPAGE_START.set(z, dst);
            UffdStructs.ZEROPAGE_LEN.set(z, len);
            int r = Libc.ioctlOrErrno(fd.get(), UffdStructs.UFFDIO_ZEROPAGE, z, "UFFDIO_ZEROPAGE at 0x" + Long.toHexString(dst),
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
            Libc.ioctl(fd.get(), UffdStructs.UFFDIO_WAKE, range(a, start, len), "UFFDIO_WAKE");
        }
    }

    private static MemorySegment range(Arena a, long start, long len) {
        var range = a.allocate(UffdStructs.RANGE);
        UffdStructs.RANGE_START.set(range, start);
        UffdStructs.RANGE_LEN.set(range, len);
        return range;
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }
}
