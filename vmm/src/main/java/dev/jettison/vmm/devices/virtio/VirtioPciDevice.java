package dev.jettison.vmm.devices.virtio;

import dev.jettison.vmm.devices.InterruptLine;
import dev.jettison.vmm.devices.IoDevice;
import dev.jettison.vmm.devices.pci.PciDevice;
import dev.jettison.vmm.memory.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The legacy virtio-pci transport (virtio 0.9.5, "transitional legacy interface"): a PCI
 * function whose BAR0 is a 0x100-port I/O window holding the common registers and, from 0x14,
 * the device configuration (no MSI-X). The interrupt is INTx pin A, level-triggered: the line
 * goes high when ISR becomes non-zero and low when the guest reads ISR.
 *
 * <p>Locking: transport registers are guarded by this object; queues guard themselves. The
 * transport may call into a queue while holding its lock, never the other way round, and device
 * notifications run without the transport lock so a long block request does not stall another
 * vCPU's ISR read.
 */
public final class VirtioPciDevice implements IoDevice {
    private static final Logger LOG = LoggerFactory.getLogger(VirtioPciDevice.class);

    /** Legacy PCI device ids are 0x1000 + virtio type - 1 (net 0x1000, block 0x1001). */
    public static final int VENDOR_VIRTIO = 0x1AF4, LEGACY_DEVICE_ID_BASE = 0x1000 - 1;
    public static final int BAR_SIZE = 0x100, QUEUE_SIZE = 256;

    public static final int HOST_FEATURES = 0x00, GUEST_FEATURES = 0x04, QUEUE_PFN = 0x08, QUEUE_NUM = 0x0C,
            QUEUE_SEL = 0x0E, QUEUE_NOTIFY = 0x10, STATUS = 0x12, ISR = 0x13, DEVICE_CONFIG = 0x14;

    public static final int STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8,
            STATUS_NEEDS_RESET = 0x40, STATUS_FAILED = 0x80;
    public static final int ISR_QUEUE = 1, ISR_CONFIG = 2;

    /** Transport state for the migration descriptor, with the device's type and its own state ({@link VirtioDevice#saveState}). */
    public record State(int deviceType, int status, int guestFeatures, int queueSelect, int isr, boolean needsReset,
                        List<Virtqueue.State> queues, PciDevice.State pci, byte[] deviceState) {
        public State {
            queues = List.copyOf(queues);
            deviceState = deviceState.clone();
        }

        @Override
        public byte[] deviceState() { return deviceState.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && deviceType == s.deviceType && status == s.status && guestFeatures == s.guestFeatures
                    && queueSelect == s.queueSelect && isr == s.isr && needsReset == s.needsReset && queues.equals(s.queues)
                    && pci.equals(s.pci) && java.util.Arrays.equals(deviceState, s.deviceState);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(deviceType, status, guestFeatures, queueSelect, isr, needsReset, queues, pci)
                    * 31 + java.util.Arrays.hashCode(deviceState);
        }
    }

    private final String name;
    private final VirtioDevice device;
    private final GuestMemory memory;
    private final InterruptLine line;
    private final PciDevice pci;
    private final List<Virtqueue> queues = new ArrayList<>();
    /** Set by a breaking queue without taking the transport lock (see class comment). */
    private final AtomicBoolean needsReset = new AtomicBoolean();

    private int status;
    private int guestFeatures;
    private int queueSelect;
    private int isr;
    private int reportedOddAccesses;

    /**
     * @param ioBase where BAR0 is pre-assigned; the caller maps this device on the I/O bus there
     * @param gsi    the IOAPIC pin INTA is wired to, also written to the interrupt line register
     */
    public VirtioPciDevice(String name, VirtioDevice device, GuestMemory memory, int ioBase, int gsi, InterruptLine line) {
        this.name = name;
        this.device = device;
        this.memory = memory;
        this.line = line;
        int type = device.deviceType();
        this.pci = new PciDevice(name, VENDOR_VIRTIO, LEGACY_DEVICE_ID_BASE + type, device.pciClassCode(), 0,
                VENDOR_VIRTIO, type);
        pci.setIoBar(0, ioBase, BAR_SIZE);
        pci.setInterrupt(1, gsi);
        // No firmware runs to enable decoding; the guest finds the device ready to use.
        pci.setCommand(PciDevice.COMMAND_IO);
        for (int i = 0; i < device.queueCount(); i++) {
            queues.add(new Virtqueue(memory, QUEUE_SIZE, name + " queue " + i, this::queueBroken));
        }
        device.attach(new Context());
    }

    public String name() { return name; }

    public PciDevice pci() { return pci; }

    public VirtioDevice device() { return device; }

    public Virtqueue queue(int index) { return queues.get(index); }

    public synchronized int status() { return status | (needsReset.get() ? STATUS_NEEDS_RESET : 0); }

    @Override
    public int read(int offset, int size) {
        if (!pci.ioEnabled()) return ones(size);
        if (offset >= DEVICE_CONFIG) return readDeviceConfig(offset - DEVICE_CONFIG, size);
        synchronized (this) {
            return switch (offset) {
                case HOST_FEATURES -> sized(offset, size, 4, device.features());
                case GUEST_FEATURES -> sized(offset, size, 4, guestFeatures);
                case QUEUE_PFN -> sized(offset, size, 4, selected() == null ? 0 : selected().pfn());
                case QUEUE_NUM -> sized(offset, size, 2, selected() == null ? 0 : QUEUE_SIZE);
                case QUEUE_SEL -> sized(offset, size, 2, queueSelect);
                case QUEUE_NOTIFY -> sized(offset, size, 2, 0);
                case STATUS -> sized(offset, size, 1, status());
                case ISR -> size == 1 ? readIsr() : odd("read", offset, size);
                default -> odd("read", offset, size);
            };
        }
    }

    @Override
    public void write(int offset, int size, int value) {
        if (!pci.ioEnabled()) return;
        if (offset >= DEVICE_CONFIG) {
            writeDeviceConfig(offset - DEVICE_CONFIG, size, value);
            return;
        }
        // Drivers use a 16-bit write; a 32-bit one carries the same queue index, so accept it too.
        if (offset == QUEUE_NOTIFY && size >= 2) {
            notifyQueue(value & 0xFFFF);
            return;
        }
        synchronized (this) {
            switch (offset) {
                case GUEST_FEATURES -> {
                    if (size != 4) { odd("write", offset, size); return; }
                    if ((value & ~device.features()) != 0) {
                        LOG.warn("{}: driver accepted features 0x{} it was not offered; ignoring them", name,
                                Integer.toHexString(value & ~device.features()));
                    }
                    guestFeatures = value & device.features();
                }
                case QUEUE_PFN -> {
                    if (size != 4) { odd("write", offset, size); return; }
                    Virtqueue q = selected();
                    if (q != null) q.setPfn(value);
                }
                case QUEUE_SEL -> {
                    if (size != 2) { odd("write", offset, size); return; }
                    queueSelect = value & 0xFFFF;
                }
                case STATUS -> {
                    if (size != 1) { odd("write", offset, size); return; }
                    writeStatus(value & 0xFF);
                }
                default -> odd("write", offset, size);
            }
        }
    }

    private Virtqueue selected() { return queueSelect < queues.size() ? queues.get(queueSelect) : null; }

    private void notifyQueue(int index) {
        if (index >= queues.size()) {
            odd("notify of queue " + index + " at", QUEUE_NOTIFY, 2);
            return;
        }
        try {
            device.onNotify(index);
        } catch (RuntimeException e) {
            // A device bug must not kill the vCPU thread; the driver sees a device that needs reset.
            LOG.error("{}: handling a notify of queue {} failed; marking the device as needing reset", name, index, e);
            needsReset.set(true);
        }
    }

    private void writeStatus(int value) {
        if (value == 0) {
            resetDevice();
            return;
        }
        if ((value & STATUS_FAILED) != 0 && (status & STATUS_FAILED) == 0) {
            LOG.warn("{}: driver gave up on the device (status FAILED)", name);
        }
        status = value & ~STATUS_NEEDS_RESET;
    }

    private void resetDevice() {
        status = 0;
        guestFeatures = 0;
        queueSelect = 0;
        for (var q : queues) q.reset();
        needsReset.set(false);
        try {
            device.reset();
        } catch (RuntimeException e) {
            LOG.error("{}: device reset failed", name, e);
        }
        if (isr != 0) {
            isr = 0;
            line.set(false);
        }
    }

    private int readIsr() {
        int v = isr;
        if (v != 0) {
            isr = 0;
            line.set(false);
        }
        return v;
    }

    private void raise(int bits) {
        synchronized (this) {
            boolean wasLow = isr == 0;
            isr |= bits;
            if (wasLow) line.set(true);
        }
    }

    private void queueBroken(Virtqueue q, String why) {
        needsReset.set(true);
    }

    private int readDeviceConfig(int offset, int size) {
        byte[] cfg = device.config();
        int v = 0;
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            v |= (at < cfg.length ? cfg[at] & 0xFF : 0) << (8 * i);
        }
        return v;
    }

    private void writeDeviceConfig(int offset, int size, int value) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte) (value >>> (8 * i));
        device.writeConfig(offset, data);
    }

    private int sized(int offset, int size, int expected, int value) {
        if (size != expected) return odd("read", offset, size);
        return value;
    }

    private int odd(String what, int offset, int size) {
        if (reportedOddAccesses++ < 8) {
            LOG.warn("{}: unexpected {} of {} bytes at BAR0 offset 0x{}; ignored", name, what, size,
                    Integer.toHexString(offset));
        }
        return ones(size);
    }

    private static int ones(int size) { return size == 4 ? -1 : (1 << (8 * size)) - 1; }

    public synchronized State snapshot() {
        var qs = new ArrayList<Virtqueue.State>();
        for (var q : queues) qs.add(q.snapshot());
        return new State(device.deviceType(), status, guestFeatures, queueSelect, isr, needsReset.get(), qs, pci.snapshot(),
                device.saveState());
    }

    /** Restores transport state into a freshly built device; the guest RAM holding the rings comes separately. */
    public synchronized void restore(State s) {
        if (s.deviceType() != device.deviceType()) {
            throw new IllegalArgumentException(name + ": snapshot has a virtio device of type " + s.deviceType() + " here");
        }
        if (s.queues().size() != queues.size()) {
            throw new IllegalArgumentException(name + ": snapshot has " + s.queues().size() + " queues, device has "
                    + queues.size());
        }
        pci.restore(s.pci());
        status = s.status() & 0xFF & ~STATUS_NEEDS_RESET;
        guestFeatures = s.guestFeatures() & device.features();
        queueSelect = s.queueSelect() & 0xFFFF;
        needsReset.set(s.needsReset());
        for (int i = 0; i < queues.size(); i++) queues.get(i).restore(s.queues().get(i));
        device.restoreState(s.deviceState());
        isr = s.isr() & (ISR_QUEUE | ISR_CONFIG);
        line.set(isr != 0);
    }

    private final class Context implements VirtioContext {
        @Override
        public Virtqueue queue(int index) { return queues.get(index); }

        @Override
        public GuestMemory memory() { return memory; }

        @Override
        public int guestFeatures() {
            synchronized (VirtioPciDevice.this) {
                return guestFeatures;
            }
        }

        @Override
        public boolean driverOk() {
            synchronized (VirtioPciDevice.this) {
                return (status & STATUS_DRIVER_OK) != 0;
            }
        }

        @Override
        public void signalUsed(int queue) {
            // Asked outside the transport lock: the queue lock is never taken inside it from this side.
            if (queues.get(queue).needsInterrupt()) raise(ISR_QUEUE);
        }
    }
}
