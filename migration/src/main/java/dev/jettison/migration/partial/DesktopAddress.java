package dev.jettison.migration.partial;

import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.WireSecurity;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a consolidated VM's desktop serves its pages and blocks. It can move: a desktop daemon
 * that restarted while its VM was away listens on new ports, and says so when it re-attaches,
 * so memtap and cownetdisk connect through here rather than to a fixed address.
 */
final class DesktopAddress {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final WireSecurity security;
    private volatile InetSocketAddress pages;
    private volatile InetSocketAddress blocks;

    DesktopAddress(InetAddress host, int pagePort, int blockPort, WireSecurity security) {
        this.security = security;
        moved(host, pagePort, blockPort);
    }

    void moved(InetAddress host, int pagePort, int blockPort) {
        this.pages = new InetSocketAddress(host, pagePort);
        this.blocks = new InetSocketAddress(host, blockPort);
    }

    Connector pages() {
        return () -> security.connect(pages, CONNECT_TIMEOUT_MILLIS);
    }

    Connector blocks() {
        return () -> security.connect(blocks, CONNECT_TIMEOUT_MILLIS);
    }

    @Override
    public String toString() {
        return "memserv " + pages + ", diskserv " + blocks;
    }
}
