package dev.jettison.migration.memtap;

import dev.jettison.migration.wire.Connector;
import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.SessionEndedException;
import dev.jettison.migration.wire.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * memtap's connection to the desktop's memserv: pipelined page requests over one transport,
 * replies delivered to a {@link Sink} as they arrive. Every request stays outstanding until
 * each of its pages has arrived; when the connection fails, or stays silent with requests
 * outstanding for longer than the request timeout (a microsleeping desktop keeps its TCP
 * connections but answers nothing), the link wakes the desktop, reconnects with backoff and
 * sends every outstanding request again. Faulting threads therefore wait, never see garbage.
 */
final class PageLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageLink.class);

    /** Receives each page as it arrives; {@code data} null means all zeros. Duplicates are possible after a reconnect. */
    interface Sink {
        void arrived(long page, byte[] data, boolean prefetch);
    }

    /** A contiguous run of pages to ask for. */
    record Run(long page, int count, boolean prefetch) {}

    private record Outstanding(Message.PageRequest request, boolean prefetch, BitSet missing) {}

    private final Connector connector;
    private final Message.Hello hello;
    private final Backoff backoff;
    private final DesktopWaker waker;
    private final long timeoutNanos;
    private final Sink sink;
    private final Runnable onSessionEnded;
    private final Map<Long, Outstanding> outstanding = new LinkedHashMap<>();
    private final Thread reader;
    private final Thread watchdog;
    private Transport current;
    private long nextId = 1;
    private long lastProgressNanos = System.nanoTime();
    private long reconnects;
    private long wakes;
    private volatile boolean closed;

    PageLink(Connector connector, Message.Hello hello, Backoff backoff, DesktopWaker waker, Duration requestTimeout, Sink sink,
             Runnable onSessionEnded) {
        this.onSessionEnded = onSessionEnded;
        this.connector = connector;
        this.hello = hello;
        this.backoff = backoff;
        this.waker = waker;
        this.timeoutNanos = requestTimeout.toNanos();
        this.sink = sink;
        this.reader = Thread.ofVirtual().name("memtap-link-" + hello.vmId()).start(this::run);
        this.watchdog = Thread.ofVirtual().name("memtap-watchdog-" + hello.vmId()).start(this::watch);
    }

    /** Sends the runs (in order, with one flush) or queues them until the link is up. */
    void request(List<Run> runs) {
        if (runs.isEmpty()) return;
        List<Message> msgs = new ArrayList<>(runs.size());
        Transport t;
        synchronized (this) {
            if (outstanding.isEmpty()) lastProgressNanos = System.nanoTime();
            for (Run r : runs) {
                var req = new Message.PageRequest(nextId++, r.page(), r.count());
                var missing = new BitSet(r.count());
                missing.set(0, r.count());
                outstanding.put(req.requestId(), new Outstanding(req, r.prefetch(), missing));
                msgs.add(req);
            }
            t = current;
        }
        waker.beforeRequest();
        // Sent outside the lock: a blocked send must never stop the reader from draining replies.
        // If the link is down, the reconnect resends everything outstanding, these included.
        if (t != null) {
            try {
                t.sendAll(msgs);
            } catch (IOException e) {
                log.warn("memtap {}: send to {} failed: {}", hello.vmId(), t.peer(), e.toString());
                t.close();
            }
        }
    }

    synchronized int outstandingRequests() { return outstanding.size(); }

    synchronized long reconnects() { return reconnects; }

    synchronized long wakes() { return wakes; }

    private void run() {
        int failures = 0;
        while (!closed) {
            if (failures > 0) {
                synchronized (this) { wakes++; }
                try {
                    waker.wake();
                } catch (RuntimeException e) {
                    log.warn("memtap {}: desktop waker failed: {}", hello.vmId(), e.toString());
                }
                if (!sleep(backoff.delayMillis(failures - 1))) return;
            }
            Transport t;
            try {
                t = connector.connect();
            } catch (IOException e) {
                failures++;
                if (failures == 1 || failures % 50 == 0) {
                    log.warn("memtap {}: desktop unreachable ({}), attempt {}", hello.vmId(), e.getMessage(), failures);
                }
                continue;
            }
            try (t) {
                Handshake.client(t, hello);
                List<Message> resend = new ArrayList<>();
                synchronized (this) {
                    if (closed) return;
                    current = t;
                    reconnects++;
                    lastProgressNanos = System.nanoTime();
                    for (Outstanding o : outstanding.values()) resend.add(o.request());
                }
                if (!resend.isEmpty()) {
                    log.info("memtap {}: connected to {}, resending {} requests", hello.vmId(), t.peer(), resend.size());
                    t.sendAll(resend);
                }
                failures = 0;
                readLoop(t);
            } catch (SessionEndedException e) {
                // The desktop took its VM back (or resumed its residue): nothing here may fetch any more.
                log.info("memtap {}: {}; the desktop ended this epoch", hello.vmId(), e.getMessage());
                onSessionEnded.run();
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) log.warn("memtap {}: link to desktop lost: {}", hello.vmId(), e.toString());
            } finally {
                synchronized (this) {
                    if (current == t) current = null;
                }
            }
            failures++;
        }
    }

    private void readLoop(Transport t) throws IOException {
        while (!closed) {
            Message m;
            try {
                m = t.receive();
            } catch (EOFException e) {
                throw new IOException("desktop closed the connection");
            }
            switch (m) {
                case Message.PageData d -> deliver(d);
                case Message.Error e -> throw new IOException("desktop refused: " + e.message() + " (code " + e.code() + ")");
                case Message.Bye b -> throw new IOException("desktop said Bye");
                default -> throw new IOException("unexpected " + m.getClass().getSimpleName() + " from memserv");
            }
        }
    }

    private void deliver(Message.PageData d) {
        boolean prefetch;
        synchronized (this) {
            lastProgressNanos = System.nanoTime();
            Outstanding o = outstanding.get(d.requestId());
            if (o == null) {
                prefetch = true; // a late duplicate: the sink drops what it already has
            } else {
                prefetch = o.prefetch();
                long idx = d.page() - o.request().page();
                if (idx >= 0 && idx < o.request().count()) o.missing().clear((int) idx);
                if (o.missing().isEmpty()) outstanding.remove(d.requestId());
            }
        }
        sink.arrived(d.page(), d.data(), prefetch);
    }

    /** Drops a connection that has left requests unanswered too long, so the reader reconnects and wakes the desktop. */
    private void watch() {
        long period = Math.max(1, Math.min(100, timeoutNanos / 4_000_000));
        while (!closed) {
            if (!sleep(period)) return;
            Transport stale = null;
            synchronized (this) {
                if (current != null && !outstanding.isEmpty() && System.nanoTime() - lastProgressNanos > timeoutNanos) {
                    stale = current;
                    current = null;
                }
            }
            if (stale != null) {
                log.warn("memtap {}: no reply from {} in {} ms with requests outstanding; reconnecting",
                        hello.vmId(), stale.peer(), timeoutNanos / 1_000_000);
                stale.close();
            }
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Transport t;
        synchronized (this) {
            closed = true;
            t = current;
            current = null;
        }
        if (t != null) {
            try {
                t.send(new Message.Bye());
            } catch (IOException ignored) {
                // Going away anyway.
            }
            t.close();
        }
        reader.interrupt();
        watchdog.interrupt();
        try {
            reader.join(5000);
            watchdog.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
