package dev.jettison.migration.partial;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback between a desktop and a server that a test can blackhole: while cut,
 * it keeps every connection open but forwards nothing and accepts new connections without
 * passing them on, as a frozen peer or a dead switch would. Healed, it forwards again (new
 * connections only: what was cut stays cut, as TCP would after its retries).
 */
final class CuttableLink implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile long generation;

    CuttableLink(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** From now on nothing crosses; connections stay open. */
    void cut() {
        cut = true;
        generation++;
    }

    /** New connections cross again. */
    void heal() {
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket a = listener.accept();
                sockets.add(a);
                if (cut) continue; // held open, never answered
                Socket b = new Socket();
                b.connect(target, 2000);
                sockets.add(b);
                long gen = generation;
                Thread.ofVirtual().start(() -> pump(a, b, gen));
                Thread.ofVirtual().start(() -> pump(b, a, gen));
            } catch (IOException e) {
                if (listener.isClosed()) return;
            }
        }
    }

    private void pump(Socket from, Socket to, long gen) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (cut || generation != gen) {
                    // Swallow: a blackhole neither delivers nor resets.
                    while (!from.isClosed()) Thread.sleep(50);
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // The other side went away.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) s.close();
    }
}
