package dev.jettison.vmm.devices.virtio;

import dev.jettison.sys.EventFd;
import dev.jettison.sys.Poll;
import dev.jettison.sys.net.TapDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A Linux tap interface as the network. One platform thread waits in poll(2) on the tap and an
 * eventfd; the eventfd wakes it to stop, or to retry a frame it holds because the guest had no
 * receive buffer. While it holds a frame it stops reading, so backpressure lands in the tap's
 * kernel queue, which drops when full like a real link.
 */
public final class TapNetBackend implements NetBackend {
    private static final Logger LOG = LoggerFactory.getLogger(TapNetBackend.class);
    /** Largest frame a tap hands over without offloads, plus the vnet header, rounded up. */
    static final int MAX_FRAME = 65536 + TapDevice.VNET_HDR_LEN;
    private static final int POLL_MS = 1000;

    private final TapDevice tap;
    private final EventFd wakeup = new EventFd();
    private final Arena txArena = Arena.ofShared();
    private final MemorySegment txBuffer = txArena.allocate(MAX_FRAME);
    private volatile boolean running;
    private boolean closed;
    private Thread thread;
    private int reportedTxErrors;

    /** Takes ownership of {@code tap}: closing the backend closes it. */
    public TapNetBackend(TapDevice tap) { this.tap = tap; }

    public TapDevice tap() { return tap; }

    @Override
    public synchronized void start(FrameSink sink) {
        if (thread != null) throw new IllegalStateException("tap backend " + tap.name() + " already started");
        running = true;
        thread = Thread.ofPlatform().daemon().name("virtio-net rx " + tap.name()).start(() -> receiveLoop(sink));
    }

    private void receiveLoop(FrameSink sink) {
        try (var arena = Arena.ofConfined();
             var both = new Poll(tap.fd().get(), wakeup.fd().get());
             var wakeOnly = new Poll(wakeup.fd().get())) {
            MemorySegment buffer = arena.allocate(MAX_FRAME);
            int held = 0;
            while (running) {
                if (held > 0) {
                    if (sink.offer(buffer.asSlice(0, held))) {
                        held = 0;
                    } else {
                        wakeOnly.await(POLL_MS);
                        wakeup.drain();
                    }
                    continue;
                }
                if (!both.await(POLL_MS)) continue;
                if (both.ready(1)) wakeup.drain();
                while (running) {
                    int n = tap.read(buffer);
                    if (n <= 0) break;
                    if (!sink.offer(buffer.asSlice(0, n))) {
                        held = n;
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) LOG.error("tap {}: receive loop stopped; the guest receives nothing more", tap.name(), e);
        }
    }

    @Override
    public synchronized void send(MemorySegment frame) {
        if (frame.byteSize() > MAX_FRAME) {
            txError("frame of " + frame.byteSize() + " bytes is too large");
            return;
        }
        try {
            MemorySegment.copy(frame, 0, txBuffer, 0, frame.byteSize());
            tap.write(txBuffer.asSlice(0, frame.byteSize()));
        } catch (RuntimeException e) {
            // The interface may be down or its queue full; a NIC drops the frame and carries on.
            txError(e.getMessage());
        }
    }

    private void txError(String why) {
        if (reportedTxErrors++ < 8) LOG.warn("tap {}: transmit dropped: {}", tap.name(), why);
    }

    @Override
    public void rxBuffersAvailable() {
        if (running) wakeup.signal();
    }

    /** Idempotent: whoever holds the backend when something fails may close it. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            running = false;
            t = thread;
        }
        wakeup.signal();
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            wakeup.close();
            tap.close();
            txArena.close();
        }
    }
}
