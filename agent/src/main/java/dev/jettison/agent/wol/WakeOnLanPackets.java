package dev.jettison.agent.wol;

import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.memtap.WakePackets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * remoteWakeup's packets (§4): one {@link WakeOnLanSender} per consolidated desktop. On a LAN the
 * magic packet goes to the subnet's broadcast address (a sleeping desktop has no ARP entry to be
 * reached by), so {@code broadcast} is set there. Without it, packets go to the desktop's own
 * address: enough for emulated desktops on loopback or in test namespaces, and never a broadcast
 * onto a network nobody configured.
 *
 * @param broadcast   where packets go, or null for the desktop's own address
 * @param defaultPort UDP port when the desktop names none (9, "discard", is the usual one)
 */
public record WakeOnLanPackets(InetAddress broadcast, int defaultPort) implements WakePackets {
    public static final int DEFAULT_PORT = 9;

    public WakeOnLanPackets {
        if (defaultPort < 1 || defaultPort > 0xFFFF) throw new IllegalArgumentException("port must be 1..65535: " + defaultPort);
    }

    @Override
    public DesktopWaker to(InetAddress desktop, long mac, int port) throws IOException {
        var target = new InetSocketAddress(broadcast != null ? broadcast : desktop, port != 0 ? port : defaultPort);
        return new WakeOnLanSender(MacAddress.of(mac), target);
    }
}
