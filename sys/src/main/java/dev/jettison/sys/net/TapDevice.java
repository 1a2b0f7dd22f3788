package dev.jettison.sys.net;

import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A Linux tap interface opened through /dev/net/tun. Frames carry the 10-byte legacy
 * virtio_net_hdr in front (IFF_VNET_HDR), which is exactly what a legacy virtio-net guest puts
 * in its buffers, so frames pass between the guest and the host without being rewritten.
 */
public final class TapDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454CAL;
    private static final short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    public static final int VNET_HDR_LEN = 10;

    private final Fd fd;
    private final String name;

    private TapDevice(Fd fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Attaches to (or creates, as root) the tap interface {@code name}; a name with {@code %d}
     * (e.g. {@code jtap%d}) lets the kernel pick the first free number, and {@link #name()} says
     * which. A tap created here is not persistent: it disappears when this device is closed.
     */
    public static TapDevice open(String name) {
        if (name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("tap name must be 1..15 characters: '" + name + "'");
        }
        Fd fd = Fd.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        try (var arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(40, 8);
            ifr.copyFrom(MemorySegment.ofArray(name.getBytes(StandardCharsets.US_ASCII)));
            ifr.set(JAVA_SHORT, 16, (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR));
            Libc.ioctl(fd.get(), TUNSETIFF, ifr, "TUNSETIFF " + name);
            return new TapDevice(fd, ifr.getString(0, StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    public String name() { return name; }

    public Fd fd() { return fd; }

    /** Reads one frame (with its vnet header); returns 0 when none is waiting. */
    public int read(MemorySegment buffer) {
        long n = Libc.readOrErrno(fd.get(), buffer, buffer.byteSize());
        return n < 0 ? 0 : (int) n;
    }

    /** Writes one frame (with its vnet header). */
    public void write(MemorySegment frame) {
        Libc.write(fd.get(), frame, frame.byteSize());
    }

    @Override
    public void close() { fd.close(); }
}
