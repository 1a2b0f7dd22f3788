package dev.jettison.migration.memtap;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Makes the packet sender that wakes one desktop: in the agent, real Wake-on-LAN magic packets
 * for the desktop's MAC to the configured broadcast address (§4). The migration module only
 * decides when to wake; how is the agent's business.
 */
@FunctionalInterface
public interface WakePackets {
    /** No wake-ups: for servers whose desktops never sleep, and for tests. */
    WakePackets NONE = (desktop, mac, port) -> DesktopWaker.NONE;

    /**
     * @param desktop the desktop's address (the control connection's peer)
     * @param mac     its MAC, 48 bits
     * @param port    the UDP port its listener uses, or 0 for the configured one
     */
    DesktopWaker to(InetAddress desktop, long mac, int port) throws IOException;
}
