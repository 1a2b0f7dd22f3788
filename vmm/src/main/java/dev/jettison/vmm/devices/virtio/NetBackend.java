package dev.jettison.vmm.devices.virtio;

import java.lang.foreign.MemorySegment;

/**
 * Where a virtio-net device's frames go and come from. Every frame carries the 10-byte legacy
 * virtio_net_hdr in front, as the guest and a tap with IFF_VNET_HDR both expect.
 */
public interface NetBackend extends AutoCloseable {
    /** Takes a received frame into the guest. */
    @FunctionalInterface
    interface FrameSink {
        /**
         * Offers a frame to the guest. False means no receive buffer is posted: keep the frame
         * and offer it again after {@link #rxBuffersAvailable()}. The segment is only valid
         * during the call.
         */
        boolean offer(MemorySegment frame);
    }

    /** Starts delivering received frames to {@code sink}. */
    void start(FrameSink sink);

    /** Sends one frame from the guest. Failures are the backend's to log; the guest's NIC just drops. */
    void send(MemorySegment frame);

    /** The guest posted receive buffers: a frame refused earlier can be offered again. */
    void rxBuffersAvailable();

    @Override
    void close();
}
