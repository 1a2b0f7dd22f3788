package dev.jettison.sys.net;

import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The few interface settings a VMM needs for a tap of its own on a bridge (bring it up, make it a
 * bridge port), through the same ioctls ip(8) and brctl(8) use, on a socket of the calling
 * thread's network namespace.
 */
public final class Interfaces {
    private static final long SYS_SOCKET = 41;
    private static final int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCGIFINDEX = 0x8933, SIOCBRADDIF = 0x89a2;
    private static final short IFF_UP = 0x1;
    /** struct ifreq: a 16-byte name, then a union (flags, index, ...) padded to 40 bytes. */
    private static final int IFREQ_BYTES = 40, IFR_UNION = 16;

    private Interfaces() {}

    /** The interface index of {@code name}; throws naming the interface if there is none. */
    public static int index(String name) {
        try (var sock = socket(); var arena = Arena.ofConfined()) {
            var ifr = ifreq(arena, name);
            Libc.ioctl(sock.get(), SIOCGIFINDEX, ifr, "SIOCGIFINDEX " + name);
            return ifr.get(JAVA_INT, IFR_UNION);
        }
    }

    /** Sets {@code name} administratively up (ip link set NAME up). */
    public static void up(String name) {
        try (var sock = socket(); var arena = Arena.ofConfined()) {
            var ifr = ifreq(arena, name);
            Libc.ioctl(sock.get(), SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS " + name);
            ifr.set(JAVA_SHORT, IFR_UNION, (short) (ifr.get(JAVA_SHORT, IFR_UNION) | IFF_UP));
            Libc.ioctl(sock.get(), SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS " + name);
        }
    }

    /** Makes {@code port} a port of bridge {@code bridge} (ip link set PORT master BRIDGE). */
    public static void addToBridge(String bridge, String port) {
        int index = index(port);
        try (var sock = socket(); var arena = Arena.ofConfined()) {
            var ifr = ifreq(arena, bridge);
            ifr.set(JAVA_INT, IFR_UNION, index);
            Libc.ioctl(sock.get(), SIOCBRADDIF, ifr, "SIOCBRADDIF " + port + " to bridge " + bridge);
        }
    }

    private static Fd socket() {
        return new Fd((int) Libc.syscall(SYS_SOCKET, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, "socket"), "interface control socket");
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        if (name.isEmpty() || name.length() > 15) throw new IllegalArgumentException("interface name must be 1..15 characters: '" + name + "'");
        var ifr = arena.allocate(IFREQ_BYTES, 8);
        ifr.copyFrom(MemorySegment.ofArray(name.getBytes(StandardCharsets.US_ASCII)));
        return ifr;
    }
}
