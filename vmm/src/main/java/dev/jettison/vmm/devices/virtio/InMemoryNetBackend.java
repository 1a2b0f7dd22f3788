package dev.jettison.vmm.devices.virtio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A network that is just two queues: what the guest sent, and frames waiting to be received.
 * Delivery happens on the caller's thread, so tests are deterministic.
 */
public final class InMemoryNetBackend implements NetBackend {
    private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    private FrameSink sink;

    @Override
    public synchronized void start(FrameSink sink) {
        this.sink = sink;
        deliver();
    }

    @Override
    public void send(MemorySegment frame) { sent.add(frame.toArray(JAVA_BYTE)); }

    /** Frames the guest transmitted (with their vnet headers), in order. */
    public BlockingQueue<byte[]> sent() { return sent; }

    /** Queues a frame (vnet header + Ethernet frame) for the guest and delivers what fits now. */
    public synchronized void inject(byte[] frame) {
        waiting.add(frame.clone());
        deliver();
    }

    /** Frames still waiting for receive buffers. */
    public synchronized int waitingCount() { return waiting.size(); }

    @Override
    public synchronized void rxBuffersAvailable() { deliver(); }

    private void deliver() {
        while (sink != null && !waiting.isEmpty() && sink.offer(MemorySegment.ofArray(waiting.peek()))) {
            waiting.poll();
        }
    }

    @Override
    public void close() { }
}
