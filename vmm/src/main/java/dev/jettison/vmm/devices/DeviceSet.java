package dev.jettison.vmm.devices;

import dev.jettison.vmm.boot.MpTable;
import dev.jettison.vmm.devices.pci.PciBus;
import dev.jettison.vmm.devices.pci.PciDevice;
import dev.jettison.vmm.devices.pci.PciHostBridge;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.serial.Serial16550;
import dev.jettison.vmm.devices.virtio.VirtioDevice;
import dev.jettison.vmm.devices.virtio.VirtioPciDevice;
import dev.jettison.vmm.memory.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Every emulated device of the jettison-pc machine, placed where docs/machine.md says: COM1,
 * the i8042, the exit port, and PCI bus 0 with the host bridge in slot 0 and the virtio devices
 * in slots 1.. (BAR0 at 0xC000 + 0x100 per device, INTA on GSI 10 + slot - 1).
 */
public final class DeviceSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSet.class);

    public static final int FIRST_VIRTIO_SLOT = 1, FIRST_VIRTIO_GSI = 10, LAST_GSI = 23;
    public static final int VIRTIO_IO_BASE = 0xC000, VIRTIO_IO_STRIDE = VirtioPciDevice.BAR_SIZE;
    public static final int MAX_VIRTIO_DEVICES = LAST_GSI - FIRST_VIRTIO_GSI + 1;

    /** All device state for the migration descriptor. */
    public record State(Serial16550.State serial, PciDevice.State hostBridge, List<VirtioPciDevice.State> virtio) {
        public State {
            virtio = List.copyOf(virtio);
        }
    }

    private final Serial16550 serial;
    private final I8042 i8042;
    private final ExitPort exitPort;
    private final PciBus pciBus;
    private final PciHostBridge hostBridge;
    private final List<VirtioPciDevice> virtio;

    private DeviceSet(Serial16550 serial, I8042 i8042, ExitPort exitPort, PciBus pciBus, PciHostBridge hostBridge,
                      List<VirtioPciDevice> virtio) {
        this.serial = serial;
        this.i8042 = i8042;
        this.exitPort = exitPort;
        this.pciBus = pciBus;
        this.hostBridge = hostBridge;
        this.virtio = List.copyOf(virtio);
    }

    /**
     * Builds the devices and maps them on {@code bus}.
     *
     * @param irqs    the interrupt line for a GSI (ISA IRQ n is GSI n)
     * @param virtio  the virtio devices in slot order; the set owns and closes them
     */
    public static DeviceSet create(IoBus bus, GuestMemory memory, IntFunction<InterruptLine> irqs,
                                   MachineControl machine, ConsoleSink console, List<? extends VirtioDevice> virtio) {
        if (virtio.size() > MAX_VIRTIO_DEVICES) {
            throw new IllegalArgumentException(virtio.size() + " virtio devices; the IOAPIC has pins for "
                    + MAX_VIRTIO_DEVICES);
        }
        var serial = new Serial16550(console, irqs.apply(Serial16550.COM1_IRQ));
        bus.register(Serial16550.COM1_BASE, Serial16550.PORT_COUNT, serial, "COM1");
        var i8042 = new I8042(machine);
        i8042.register(bus);
        var exit = new ExitPort(machine);
        bus.register(ExitPort.PORT, ExitPort.PORT_COUNT, exit, "exit device");

        var pci = new PciBus();
        bus.register(PciBus.CONFIG_ADDRESS_PORT, PciBus.PORT_COUNT, pci, "PCI configuration");
        var hostBridge = new PciHostBridge();
        pci.attach(0, hostBridge);

        var transports = new ArrayList<VirtioPciDevice>();
        for (int i = 0; i < virtio.size(); i++) {
            int slot = FIRST_VIRTIO_SLOT + i;
            int ioBase = VIRTIO_IO_BASE + i * VIRTIO_IO_STRIDE;
            int gsi = FIRST_VIRTIO_GSI + slot - FIRST_VIRTIO_SLOT;
            VirtioDevice dev = virtio.get(i);
            String name = (dev.deviceType() == VirtioDevice.TYPE_BLOCK ? "virtio-blk" : dev.deviceType() == VirtioDevice.TYPE_NET
                    ? "virtio-net" : "virtio-" + dev.deviceType()) + "@" + slot;
            var transport = new VirtioPciDevice(name, dev, memory, ioBase, gsi, irqs.apply(gsi));
            pci.attach(slot, transport.pci());
            bus.register(ioBase, VirtioPciDevice.BAR_SIZE, transport, name);
            transports.add(transport);
        }
        return new DeviceSet(serial, i8042, exit, pci, hostBridge, transports);
    }

    public Serial16550 serial() { return serial; }

    public I8042 i8042() { return i8042; }

    public ExitPort exitPort() { return exitPort; }

    public PciBus pciBus() { return pciBus; }

    public PciHostBridge hostBridge() { return hostBridge; }

    /** The virtio transports in slot order (slot = index + 1). */
    public List<VirtioPciDevice> virtio() { return virtio; }

    /** What {@link MpTable#write} needs to route the PCI interrupts. */
    public List<MpTable.PciInterrupt> pciInterrupts() {
        var out = new ArrayList<MpTable.PciInterrupt>();
        for (int i = 0; i < virtio.size(); i++) {
            out.add(new MpTable.PciInterrupt(FIRST_VIRTIO_SLOT + i, virtio.get(i).pci().interruptLine()));
        }
        return out;
    }

    public State snapshot() {
        var vs = new ArrayList<VirtioPciDevice.State>();
        for (var v : virtio) vs.add(v.snapshot());
        return new State(serial.snapshot(), hostBridge.snapshot(), vs);
    }

    /** Restores into a set built with the same devices in the same order. */
    public void restore(State s) {
        var theirs = s.virtio().stream().map(v -> kind(v.deviceType())).toList();
        var ours = virtio.stream().map(v -> kind(v.device().deviceType())).toList();
        if (!theirs.equals(ours)) {
            throw new IllegalArgumentException("the descriptor's machine has virtio devices " + theirs + ", this one " + ours);
        }
        serial.restore(s.serial());
        hostBridge.restore(s.hostBridge());
        for (int i = 0; i < virtio.size(); i++) virtio.get(i).restore(s.virtio().get(i));
    }

    /** Makes every virtqueue's ring present through guest memory's populator ({@link dev.jettison.vmm.devices.virtio.Virtqueue#populate}). */
    public void populateRings() {
        for (var v : virtio) {
            for (int q = 0; q < v.device().queueCount(); q++) v.queue(q).populate();
        }
    }

    private static String kind(int type) {
        return switch (type) {
            case VirtioDevice.TYPE_NET -> "net";
            case VirtioDevice.TYPE_BLOCK -> "block";
            default -> "type " + type;
        };
    }

    /** The virtio-net devices, in slot order. */
    public List<dev.jettison.vmm.devices.virtio.VirtioNet> nics() {
        var out = new ArrayList<dev.jettison.vmm.devices.virtio.VirtioNet>();
        for (var v : virtio) if (v.device() instanceof dev.jettison.vmm.devices.virtio.VirtioNet n) out.add(n);
        return out;
    }

    @Override
    public void close() {
        for (var v : virtio) {
            try {
                v.device().close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}", v.name(), e);
            }
        }
    }
}
