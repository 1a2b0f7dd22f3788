package dev.jettison.vmm.devices.virtio;

import dev.jettison.sys.net.TapDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * virtio-net with one receive queue (0) and one transmit queue (1), no offloads and no
 * mergeable buffers: each frame travels with its 10-byte legacy header, untouched, between
 * the guest's buffers and the {@link NetBackend}. Transmit runs on the kicking vCPU thread;
 * receive runs on the backend's thread.
 *
 * <p>Migration: receive writes guest RAM and the ring on its own thread, so while the VM is
 * paused it is {@link #hold held} (frames wait in the backend, e.g. the tap's kernel queue), and
 * while the VM runs elsewhere its old NIC {@link #discard discards} them, so the residue and the
 * descriptor's queue state stay exactly as captured. The device learns the guest's IPv4 address
 * from what it transmits, carries it and the MAC in the descriptor ({@link #state}), and after a
 * move {@link #announce announces} the VM on its new port (docs/network.md).
 */
public final class VirtioNet implements VirtioDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VirtioNet.class);

    public static final int F_MAC = 1 << 5;
    public static final int RX_QUEUE = 0, TX_QUEUE = 1;
    public static final int HEADER_BYTES = TapDevice.VNET_HDR_LEN;
    static final int PCI_CLASS_ETHERNET = 0x020000;
    /** No offloads means no frame beyond 64 KiB; a longer chain is a guest bug, not a reason to allocate. */
    static final int MAX_FRAME = 65536 + HEADER_BYTES;

    /** What happens to a received frame: delivered, left waiting in the backend, or dropped. */
    public enum RxMode { RUN, HOLD, DISCARD }

    /** Device state beyond the transport's: MAC (6 bytes) and the guest's IPv4 address (u32, 0 = not seen). */
    static final int STATE_BYTES = 10;

    private final NetBackend backend;
    private final byte[] mac;
    private final Object txLock = new Object();
    private final Object rxLock = new Object();
    private VirtioContext context;
    private int reportedDrops;
    /** Guarded by rxLock: a frame is only ever delivered while the mode is RUN. */
    private RxMode rxMode = RxMode.RUN;
    private long discarded;
    private volatile int guestIp;
    /** Bumped by every announce and every hold: an announcement in progress stops when it changes. */
    private volatile long announceEpoch;
    private volatile long announcementsSent;

    public VirtioNet(NetBackend backend, byte[] mac) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        if ((mac[0] & 1) != 0) throw new IllegalArgumentException("MAC address must be unicast (first octet even)");
        this.backend = backend;
        this.mac = mac.clone();
    }

    public NetBackend backend() { return backend; }

    public byte[] mac() { return mac.clone(); }

    /** The guest's IPv4 address as last seen in its own ARP or IPv4 frames (host order), 0 if none yet. */
    public int guestIp() { return guestIp; }

    /** Announcement frames (RARP and gratuitous ARP) sent so far. */
    public long announcementsSent() { return announcementsSent; }

    /** Frames dropped because the VM ran elsewhere ({@link RxMode#DISCARD}). */
    public long discardedFrames() {
        synchronized (rxLock) {
            return discarded;
        }
    }

    public RxMode rxMode() {
        synchronized (rxLock) {
            return rxMode;
        }
    }

    /**
     * Stops delivering received frames; returns once no delivery is in progress, so guest RAM and
     * the receive queue no longer change. Frames wait in the backend. Ends any announcement.
     */
    public void hold() { setRxMode(RxMode.HOLD); }

    /** Drops received frames (the VM runs elsewhere: they can never be delivered in order). */
    public void discard() { setRxMode(RxMode.DISCARD); }

    /** Delivers received frames again, those that waited first. */
    public void release() { setRxMode(RxMode.RUN); }

    private void setRxMode(RxMode m) {
        synchronized (rxLock) {
            if (m != RxMode.RUN) announceEpoch++;
            rxMode = m;
        }
        // Outside the lock: a backend may deliver on this very thread, taking its lock then ours.
        if (m != RxMode.HOLD) backend.rxBuffersAvailable();
    }

    /**
     * Announces the VM on its (new) port: RARP and, once the guest's address is known, gratuitous
     * ARP, once now and again after each of {@link Announcement#GAPS_MILLIS}, on a thread of its
     * own. A later announce, hold or discard ends it.
     */
    public void announce() {
        long epoch;
        synchronized (rxLock) {
            epoch = ++announceEpoch;
        }
        Thread.ofVirtual().name("virtio-net announce").start(() -> {
            try {
                for (long gap : Announcement.GAPS_MILLIS) {
                    if (gap > 0) Thread.sleep(gap);
                    if (announceEpoch != epoch) return;
                    sendAnnouncement();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void sendAnnouncement() {
        backend.send(MemorySegment.ofArray(Announcement.rarp(mac)));
        announcementsSent++;
        int ip = guestIp;
        if (ip != 0) {
            backend.send(MemorySegment.ofArray(Announcement.garp(mac, ip)));
            announcementsSent++;
        }
    }

    /** MAC and guest address for the descriptor. */
    @Override
    public byte[] saveState() {
        return ByteBuffer.allocate(STATE_BYTES).put(mac).putInt(guestIp).array();
    }

    /** Takes the descriptor's device state; the MAC must be this device's (the restored VM was built with it). */
    @Override
    public void restoreState(byte[] s) {
        if (s.length != STATE_BYTES) throw new IllegalArgumentException("virtio-net state of " + s.length + " bytes, not " + STATE_BYTES);
        var b = ByteBuffer.wrap(s);
        byte[] m = new byte[6];
        b.get(m);
        if (!java.util.Arrays.equals(m, mac)) {
            throw new IllegalArgumentException("descriptor's NIC has MAC " + HexFormat.ofDelimiter(":").formatHex(m)
                    + ", this one " + HexFormat.ofDelimiter(":").formatHex(mac));
        }
        guestIp = b.getInt();
    }

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
                    byte[] frame = Buffers.concat(chain.readable());
                    learnAddress(frame);
                    backend.send(MemorySegment.ofArray(frame));
                }
                q.pushUsed(chain.head(), 0);
                any = true;
            }
            if (any) context.signalUsed(TX_QUEUE);
        }
    }

    /**
     * The guest's own IPv4 address, from the ARP and IPv4 frames it sends from its MAC: the VMM
     * needs it for the gratuitous ARP, and a guest configured any way (static, DHCP) shows it so.
     */
    private void learnAddress(byte[] f) {
        int eth = HEADER_BYTES;
        if (f.length < eth + 34 || !sameMac(f, eth + 6)) return;
        int type = ((f[eth + 12] & 0xFF) << 8) | (f[eth + 13] & 0xFF);
        int ip = 0;
        if (type == Announcement.ETHERTYPE_ARP && sameMac(f, eth + 22)) ip = be32(f, eth + 28);
        else if (type == Announcement.ETHERTYPE_IPV4 && (f[eth + 14] & 0xF0) == 0x40) ip = be32(f, eth + 26);
        if (ip != 0 && ip != -1 && ip != guestIp) guestIp = ip;
    }

    private boolean sameMac(byte[] f, int at) {
        for (int i = 0; i < 6; i++) if (f[at + i] != mac[i]) return false;
        return true;
    }

    private static int be32(byte[] f, int at) {
        return ((f[at] & 0xFF) << 24) | ((f[at + 1] & 0xFF) << 16) | ((f[at + 2] & 0xFF) << 8) | (f[at + 3] & 0xFF);
    }

    /** Places one frame in the guest's next receive buffer; false when none is posted (or the NIC holds). */
    private boolean receive(MemorySegment frame) {
        try {
            synchronized (rxLock) {
                switch (rxMode) {
                    case HOLD -> { return false; }
                    case DISCARD -> { discarded++; return true; }
                    case RUN -> { return deliver(frame); }
                }
            }
            return false;
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
    public void close() {
        announceEpoch++;
        backend.close();
    }
}
