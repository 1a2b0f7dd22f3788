package dev.jettison.cli.net;

import dev.jettison.sys.net.NetNamespace;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client holding one TCP connection to an echo service (the test guest's, port 7) and sending a
 * numbered message every {@link #PERIOD_MILLIS} ms, the way an always-on application keeps a
 * connection busy. Every echo must come back whole and in order; the probe records when each
 * arrived, so the longest silence around a migration is what a user of that connection saw.
 */
public final class EchoProbe implements AutoCloseable {
    public static final int PERIOD_MILLIS = 100;
    static final int MESSAGE_BYTES = 48;

    private final Socket socket;
    private final Thread writer, reader;
    private final List<Long> arrivals = new ArrayList<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean closing;
    private long sent;

    private EchoProbe(Socket socket) {
        this.socket = socket;
        this.writer = Thread.ofPlatform().daemon().name("echo-probe-writer").unstarted(this::write);
        this.reader = Thread.ofPlatform().daemon().name("echo-probe-reader").unstarted(this::read);
    }

    /** Connects from network namespace {@code ns} (null: this process's) to {@code host}:{@code port}. */
    public static EchoProbe connect(String ns, String host, int port) throws Exception {
        java.util.concurrent.Callable<Socket> open = () -> {
            var s = new Socket();
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setTcpNoDelay(true);
            return s;
        };
        var probe = new EchoProbe(ns == null ? open.call() : NetNamespace.call(ns, open));
        probe.writer.start();
        probe.reader.start();
        return probe;
    }

    static byte[] message(long seq) {
        String m = String.format("echo %010d %s", seq, "x".repeat(MESSAGE_BYTES - 17)) + "\n";
        return m.getBytes(StandardCharsets.US_ASCII);
    }

    private void write() {
        try {
            OutputStream out = socket.getOutputStream();
            long next = System.nanoTime();
            while (!closing) {
                out.write(message(sent));
                out.flush();
                synchronized (this) {
                    sent++;
                }
                next += PERIOD_MILLIS * 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        } catch (IOException | InterruptedException e) {
            if (!closing) failure.compareAndSet(null, "sending: " + e);
        }
    }

    private void read() {
        try {
            var in = new DataInputStream(socket.getInputStream());
            byte[] got = new byte[MESSAGE_BYTES];
            for (long seq = 0; ; seq++) {
                in.readFully(got);
                if (!java.util.Arrays.equals(got, message(seq))) {
                    failure.compareAndSet(null, "echo " + seq + " came back as '" + new String(got, StandardCharsets.US_ASCII).strip()
                            + "' (lost, reordered or corrupted)");
                    return;
                }
                synchronized (this) {
                    arrivals.add(System.nanoTime());
                    notifyAll();
                }
            }
        } catch (IOException e) {
            if (!closing) failure.compareAndSet(null, "receiving: " + e);
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Why the connection failed (reset, closed, a wrong echo), or null while it is good. */
    public String failure() { return failure.get(); }

    public synchronized long sent() { return sent; }

    public synchronized int echoed() { return arrivals.size(); }

    /** Waits until {@code count} echoes in all have arrived; false on failure or timeout. */
    public synchronized boolean awaitEchoes(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (arrivals.size() < count && failure.get() == null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
        return arrivals.size() >= count;
    }

    /** The longest time between two consecutive echoes from echo {@code mark} on (the gap that ends at echo mark counts too). */
    public synchronized long longestGapMillis(int mark) {
        long longest = 0;
        for (int i = Math.max(1, mark); i < arrivals.size(); i++) {
            longest = Math.max(longest, arrivals.get(i) - arrivals.get(i - 1));
        }
        return longest / 1_000_000;
    }

    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
