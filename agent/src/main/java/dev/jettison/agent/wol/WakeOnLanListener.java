package dev.jettison.agent.wol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * The desktop's emulated NIC wake logic: listens for UDP magic packets and calls {@code onWake}
 * for one naming its MAC. Other packets, and magic packets for other MACs, are ignored (a LAN
 * carries wake-ups for every desktop); malformed ones are logged, never fatal.
 */
public final class WakeOnLanListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WakeOnLanListener.class);

    private final MacAddress mac;
    private final DatagramSocket socket;
    private final Runnable onWake;
    private final Thread thread;
    private volatile boolean closed;
    private long wakeups, ignored;

    public WakeOnLanListener(MacAddress mac, InetSocketAddress bind, Runnable onWake) throws IOException {
        this.mac = mac;
        this.onWake = onWake;
        this.socket = new DatagramSocket(bind);
        this.thread = Thread.ofVirtual().name("wol-listener").start(this::loop);
    }

    public int port() { return socket.getLocalPort(); }

    public synchronized long wakeups() { return wakeups; }

    public synchronized long ignored() { return ignored; }

    private void loop() {
        byte[] buf = new byte[1500];
        while (!closed) {
            var packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketException e) {
                if (!closed) LOG.warn("Wake-on-LAN listener stopped: {}", e.toString());
                return;
            } catch (IOException e) {
                LOG.warn("Wake-on-LAN receive failed: {}", e.toString());
                continue;
            }
            var why = new StringBuilder();
            var target = MagicPacket.parse(buf, packet.getLength(), why);
            if (target.isPresent() && target.get().equals(mac)) {
                synchronized (this) {
                    wakeups++;
                }
                onWake.run();
            } else {
                synchronized (this) {
                    ignored++;
                }
                LOG.debug("ignored a datagram from {}: {}", packet.getSocketAddress(),
                        target.isPresent() ? "magic packet for " + target.get() : why);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
