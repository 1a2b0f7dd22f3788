package dev.jettison.agent.wol;

import dev.jettison.migration.memtap.DesktopWaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * remoteWakeup (paper §4): sends a real magic packet for a desktop's MAC to a broadcast address
 * (on a LAN, the subnet's broadcast and port 9). It is the server's {@link DesktopWaker}: memtap
 * and cownetdisk call it before each retry to reach a desktop that does not answer.
 */
public final class WakeOnLanSender implements DesktopWaker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WakeOnLanSender.class);

    private final MacAddress mac;
    private final InetSocketAddress target;
    private final DatagramSocket socket;
    private long sent;

    public WakeOnLanSender(MacAddress mac, InetSocketAddress target) throws IOException {
        this.mac = mac;
        this.target = target;
        this.socket = new DatagramSocket();
        this.socket.setBroadcast(true);
    }

    /** Sends one magic packet; a send error is logged, never thrown, since the retry goes on anyway. */
    @Override
    public void wake() {
        byte[] p = MagicPacket.of(mac);
        try {
            socket.send(new DatagramPacket(p, p.length, target));
            synchronized (this) {
                sent++;
            }
        } catch (IOException e) {
            LOG.warn("Wake-on-LAN for {} to {} failed: {}", mac, target, e.toString());
        }
    }

    public synchronized long sent() { return sent; }

    @Override
    public void close() { socket.close(); }
}
