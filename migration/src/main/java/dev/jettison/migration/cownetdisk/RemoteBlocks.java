package dev.jettison.migration.cownetdisk;

import dev.jettison.migration.memtap.Backoff;
import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.SessionEndedException;
import dev.jettison.migration.wire.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * cownetdisk's connection to the desktop's diskserv: one synchronous request at a time (the
 * virtio-blk request waits for it anyway). Connects on first use; on any failure, or silence
 * longer than the request timeout, it wakes the desktop, reconnects with backoff and asks again,
 * until it gets the blocks or is closed. The guest's I/O waits; it never sees invented data.
 */
final class RemoteBlocks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteBlocks.class);

    private final Connector connector;
    private final Message.Hello hello;
    private final Backoff backoff;
    private final DesktopWaker waker;
    private final long timeoutNanos;
    private final Runnable onSessionEnded;
    private volatile boolean sessionEnded;
    private final Thread watchdog;
    private Transport current;
    private long nextId = 1;
    private volatile long requestStartNanos; // 0 when idle
    private volatile Transport inUse;
    private volatile boolean closed;
    private long connects;
    private long requests;

    RemoteBlocks(Connector connector, Message.Hello hello, Backoff backoff, DesktopWaker waker, Duration requestTimeout,
                 Runnable onSessionEnded) {
        this.onSessionEnded = onSessionEnded;
        this.connector = connector;
        this.hello = hello;
        this.backoff = backoff;
        this.waker = waker;
        this.timeoutNanos = requestTimeout.toNanos();
        this.watchdog = Thread.ofVirtual().name("cownetdisk-watchdog-" + hello.vmId()).start(this::watch);
    }

    synchronized long connects() { return connects; }

    synchronized long requests() { return requests; }

    /** Blocks [first, first+count) from the desktop; an entry is null for an all-zero block. */
    synchronized byte[][] fetch(long first, int count) throws IOException {
        int failures = 0;
        while (true) {
            if (closed) throw new IOException("cownetdisk " + hello.vmId() + " is closed");
            if (sessionEnded) throw new SessionEndedException("the desktop", hello);
            if (failures > 0) {
                try {
                    waker.wake();
                } catch (RuntimeException e) {
                    log.warn("cownetdisk {}: desktop waker failed: {}", hello.vmId(), e.toString());
                }
                try {
                    Thread.sleep(backoff.delayMillis(failures - 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the desktop");
                }
            }
            try {
                if (current == null) {
                    Transport t = connector.connect();
                    try {
                        Handshake.client(t, hello);
                    } catch (IOException | RuntimeException e) {
                        t.close();
                        throw e;
                    }
                    current = t;
                    connects++;
                }
                waker.beforeRequest();
                return ask(current, first, count);
            } catch (SessionEndedException e) {
                log.info("cownetdisk {}: {}; the desktop ended this epoch", hello.vmId(), e.getMessage());
                sessionEnded = true;
                onSessionEnded.run();
                throw e;
            } catch (IOException e) {
                if (closed) throw new IOException("cownetdisk " + hello.vmId() + " is closed", e);
                failures++;
                if (failures == 1 || failures % 50 == 0) {
                    log.warn("cownetdisk {}: blocks {}+{} from the desktop failed ({}), attempt {}",
                            hello.vmId(), first, count, e.getMessage(), failures);
                }
                if (current != null) current.close();
                current = null;
            }
        }
    }

    private byte[][] ask(Transport t, long first, int count) throws IOException {
        long id = nextId++;
        requests++;
        inUse = t;
        requestStartNanos = System.nanoTime();
        try {
            t.send(new Message.BlockRequest(id, first, count));
            byte[][] out = new byte[count][];
            for (int i = 0; i < count; i++) {
                Message m = t.receive();
                if (m instanceof Message.Error e) throw new IOException("desktop refused: " + e.message());
                if (!(m instanceof Message.BlockData d) || d.requestId() != id || d.block() != first + i) {
                    throw new IOException("expected block " + (first + i) + " of request " + id + ", got " + m);
                }
                out[i] = d.data();
            }
            return out;
        } finally {
            requestStartNanos = 0;
            inUse = null;
        }
    }

    /** Closes a connection whose request has gone unanswered too long, so fetch() retries and wakes the desktop. */
    private void watch() {
        long period = Math.max(1, Math.min(100, timeoutNanos / 4_000_000));
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long start = requestStartNanos;
            Transport t = inUse;
            if (start != 0 && t != null && System.nanoTime() - start > timeoutNanos) {
                log.warn("cownetdisk {}: no reply from {} in {} ms; reconnecting", hello.vmId(), t.peer(), timeoutNanos / 1_000_000);
                t.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Transport t = inUse;
        if (t != null) t.close();
        watchdog.interrupt();
        synchronized (this) {
            if (current != null) {
                try {
                    current.send(new Message.Bye());
                } catch (IOException ignored) {
                    // Going away anyway.
                }
                current.close();
                current = null;
            }
        }
    }
}
