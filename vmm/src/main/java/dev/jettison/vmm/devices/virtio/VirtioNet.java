package dev.jettison.vmm.devices.virtio;

import dev.jettison.sys.net.TapDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;

/**
 * virtio-net with one receive queue (0) and one transmit queue (1), no offloads and no
 * mergeable buffers: each frame travels with its 10-byte legacy header, untouched, between
 * the guest's buffers and the {@link NetBackend}. Transmit runs on the kicking vCPU thread;
 * receive runs on the backend's thread.
 */
public final class VirtioNet implements VirtioDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VirtioNet.class);

    public static final int F_MAC = 1 << 5;
    public static final int RX_QUEUE = 0, TX_QUEUE = 1;
    public static final int HEADER_BYTES = TapDevice.VNET_HDR_LEN;
    static final int PCI_CLASS_ETHERNET = 0x020000;
    /** No offloads means no frame beyond 64 KiB; a longer chain is a guest bug, not a reason to allocate. */
    static final int MAX_FRAME = 65536 + HEADER_BYTES;

    private final NetBackend backend;
    private final byte[] mac;
    private final Object txLock = new Object();
    private VirtioContext context;
    private int reportedDrops;

    public VirtioNet(NetBackend backend, byte[] mac) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        if ((mac[0] & 1) != 0) throw new IllegalArgumentException("MAC address must be unicast (first octet even)");
        this.backend = backend;
        this.mac = mac.clone();
    }

    public NetBackend backend() { return backend; }

    public byte[] mac() { return mac.clone(); }

    @Override
    public int deviceType() { return TYPE_NET; }

    @Override
    public int pciClassCode() { return PCI_CLASS_ETHERNET; }

    @Override
    public int features() { return F_MAC; }

    @Override
    public byte[] config() { return mac.clone(); }

    @Override
    public int queueCount() { return 2; }

    @Override
    public void attach(VirtioContext context) {
        this.context = context;
        backend.start(this::receive);
    }

    @Override
    public void onNotify(int queue) {
        if (queue == RX_QUEUE) backend.rxBuffersAvailable();
        else if (queue == TX_QUEUE) transmit();
    }

    private void transmit() {
        synchronized (txLock) {
            Virtqueue q = context.queue(TX_QUEUE);
            boolean any = false;
            for (Chain chain; (chain = q.pop()) != null; ) {
                if (chain.readableBytes() < HEADER_BYTES || chain.readableBytes() > MAX_FRAME) {
                    drop("transmitted chain of " + chain.readableBytes() + " bytes is not a header plus a frame");
                } else {
                    backend.send(MemorySegment.ofArray(Buffers.concat(chain.readable())));
                }
                q.pushUsed(chain.head(), 0);
                any = true;
            }
            if (any) context.signalUsed(TX_QUEUE);
        }
    }

    /** Places one frame in the guest's next receive buffer; false when none is posted. */
    private boolean receive(MemorySegment frame) {
        try {
            return deliver(frame);
        } catch (RuntimeException e) {
            // Keep the backend's receive thread alive: one bad frame must not cut the guest off the network.
            LOG.error("virtio-net: delivering a received frame failed; frame dropped", e);
            return true;
        }
    }

    private boolean deliver(MemorySegment frame) {
        if (context == null || !context.driverOk()) return false;
        Virtqueue q = context.queue(RX_QUEUE);
        Chain chain = q.pop();
        if (chain == null) return false;
        if (chain.writableBytes() < frame.byteSize()) {
            q.unpop();
            drop("received frame of " + frame.byteSize() + " bytes does not fit a " + chain.writableBytes()
                    + "-byte receive buffer");
            return true;
        }
        Buffers.scatter(frame, chain.writable());
        q.pushUsed(chain.head(), frame.byteSize());
        context.signalUsed(RX_QUEUE);
        return true;
    }

    private void drop(String why) {
        if (reportedDrops++ < 8) LOG.warn("virtio-net: dropped: {}", why);
    }

    @Override
    public void reset() { }

    @Override
    public void close() { backend.close(); }
}
