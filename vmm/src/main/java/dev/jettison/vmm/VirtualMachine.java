package dev.jettison.vmm;

import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.net.TapDevice;
import dev.jettison.vmm.boot.BootCpuState;
import dev.jettison.vmm.boot.BootMsrs;
import dev.jettison.vmm.boot.BzImage;
import dev.jettison.vmm.boot.LinuxLoader;
import dev.jettison.vmm.boot.MpTable;
import dev.jettison.vmm.devices.DeviceSet;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.devices.MachineControl;
import dev.jettison.vmm.devices.serial.ConsoleSink;
import dev.jettison.vmm.devices.serial.FileConsoleSink;
import dev.jettison.vmm.devices.serial.LineCollector;
import dev.jettison.vmm.devices.serial.PrintStreamConsoleSink;
import dev.jettison.vmm.devices.virtio.BlockBackend;
import dev.jettison.vmm.devices.virtio.NetBackend;
import dev.jettison.vmm.kvm.Cpuid;
import dev.jettison.vmm.kvm.GuestCpuid;
import dev.jettison.vmm.snapshot.MachineState;
import dev.jettison.vmm.snapshot.PlatformState;
import dev.jettison.vmm.snapshot.VcpuState;
import dev.jettison.vmm.devices.virtio.FileBlockBackend;
import dev.jettison.vmm.devices.virtio.TapNetBackend;
import dev.jettison.vmm.devices.virtio.VirtioBlock;
import dev.jettison.vmm.devices.virtio.VirtioDevice;
import dev.jettison.vmm.devices.virtio.VirtioNet;
import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.kvm.KvmVcpu;
import dev.jettison.vmm.kvm.KvmVm;
import dev.jettison.vmm.kvm.MmioBus;
import dev.jettison.vmm.memory.GuestMemory;
import dev.jettison.vmm.memory.RamBacking;
import dev.jettison.vmm.memory.HostMemory;
import dev.jettison.vmm.memory.MemoryLayout;
import dev.jettison.vmm.memory.MemoryRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One guest on the jettison-pc machine: KVM VM, RAM, devices, vCPUs. Built from a
 * {@link VmConfig}; every input is validated (kernel, initrd, disk, tap, sizes) before KVM is
 * touched, so a bad argument gets its own error whatever the host.
 */
public final class VirtualMachine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachine.class);

    private final VmConfig config;
    private final List<AutoCloseable> owned;
    private final Kvm kvm;
    private final KvmVm vm;
    private final GuestMemory memory;
    private final MappedRegion ram;
    private final DeviceSet devices;
    private final LineCollector console;
    private final List<KvmVcpu> vcpuList;
    private final VcpuSet vcpus;
    private final Parts parts;
    private Cpuid cpuid;
    private int[] msrs;

    private VirtualMachine(VmConfig config, List<AutoCloseable> owned, Kvm kvm, KvmVm vm, MappedRegion ram,
                           GuestMemory memory, DeviceSet devices, LineCollector console, List<KvmVcpu> vcpuList,
                           VcpuSet vcpus, Parts parts) {
        this.config = config;
        this.owned = owned;
        this.kvm = kvm;
        this.vm = vm;
        this.ram = ram;
        this.memory = memory;
        this.devices = devices;
        this.console = console;
        this.vcpuList = List.copyOf(vcpuList);
        this.vcpus = vcpus;
        this.parts = parts;
    }

    private void setCpuid(Cpuid c) {
        this.cpuid = c;
        for (int i = 0; i < vcpuList.size(); i++) vcpuList.get(i).setCpuid(c.forVcpu(i, vcpuList.size()));
    }

    /** The host mapping behind all guest RAM (low and high regions back to back). */
    public MappedRegion ram() { return ram; }

    /**
     * The descriptor of this VM; the vCPUs must be paused so that nothing moves under it.
     */
    public MachineState capture() {
        if (!vcpus.isPaused()) throw new IllegalStateException("capture needs the VM paused");
        if (msrs == null) msrs = VcpuState.readableMsrs(vcpuList.get(0), kvm.msrIndexList());
        var states = new ArrayList<VcpuState>();
        for (var v : vcpuList) states.add(VcpuState.capture(v, msrs));
        return new MachineState(memory.ramBytes(), vcpuList.size(),
                parts.disk() == null ? -1 : parts.disk().capacitySectors(), parts.mac(), cpuid, states,
                PlatformState.capture(vm), devices.snapshot());
    }

    /** Puts a descriptor's vCPU, platform and device state into this (paused or not yet started) VM. */
    public void applyState(MachineState state) {
        if (state.memBytes() != memory.ramBytes() || state.cpus() != vcpuList.size()) {
            throw new IllegalArgumentException("descriptor is for " + state.memBytes() / MemoryLayout.MIB + " MiB and "
                    + state.cpus() + " vCPUs; this VM has " + memory.ramBytes() / MemoryLayout.MIB + " MiB and "
                    + vcpuList.size());
        }
        state.platform().restore(vm);
        for (var v : state.vcpus()) v.restore(vcpuList.get(v.id()));
        devices.restore(state.devices());
    }

    /**
     * RAM page numbers ({@link GuestMemory#ramPage}) changed since the last call: the guest's own
     * writes from KVM's dirty log, plus every page the VMM's devices touched. Needs dirty logging
     * (VMs built by {@link #restore}).
     */
    public long[] takeDirtyPages() {
        if (!parts.logDirty()) throw new IllegalStateException("dirty logging is off for this VM");
        return DirtyPages.take(vm, memory);
    }

    public static VirtualMachine create(VmConfig config) throws IOException {
        return create(config, RamBacking.anonymous());
    }

    /** Boots {@code config} with guest RAM held by {@code ram} (a fresh file for a desktop's residue). */
    public static VirtualMachine create(VmConfig config, RamBacking ram) throws IOException {
        return create(config, ram, null);
    }

    /**
     * Boots {@code config} with a network card of the caller's ({@code nic}, e.g. a tap on a bridge,
     * with the MAC the VM keeps wherever it moves); {@code config} must then name no tap. The VM
     * owns the card's backend from here on, also if this fails.
     */
    public static VirtualMachine create(VmConfig config, RamBacking ram, Nic nic) throws IOException {
        if (nic != null && config.tap().isPresent()) {
            nic.backend().close();
            throw new IllegalArgumentException("both a tap (" + config.tap().get() + ") and a network card were given");
        }
        try {
            return createChecked(config, ram, nic);
        } catch (IOException | RuntimeException e) {
            if (nic != null) nic.backend().close();
            throw e;
        }
    }

    private static VirtualMachine createChecked(VmConfig config, RamBacking ram, Nic nic) throws IOException {
        HostMemory.checkFits(config.memBytes());
        BzImage kernel = BzImage.load(config.kernel());
        byte[] initrd = null;
        if (config.initrd().isPresent()) initrd = readInput(config.initrd().get(), "initrd");
        BlockBackend disk = null;
        if (config.disk().isPresent()) {
            Path path = config.disk().get();
            try {
                disk = new FileBlockBackend(path, config.diskReadOnly());
            } catch (NoSuchFileException e) {
                throw new IOException("disk image " + path + " does not exist");
            } catch (IOException e) {
                throw new IOException("cannot open disk image " + path + ": " + e.getMessage(), e);
            }
        }
        NetBackend net = null;
        byte[] mac = null;
        if (config.tap().isPresent()) {
            net = new TapNetBackend(TapDevice.open(config.tap().get()));
            mac = macFor(config.tap().get());
        } else if (nic != null) {
            net = nic.backend();
            mac = nic.mac();
        }
        var parts = new Parts(config.memBytes(), config.cpus(), disk, net, mac, config.consoleLog().orElse(null),
                config.consoleToTerminal(), false, ram);
        final byte[] rd = initrd;
        return assemble(config, parts, (kvm, vm) -> {
            MpTable.write(vm.memory, config.cpus(), vm.devices.pciInterrupts());
            var loaded = LinuxLoader.load(vm.memory, kernel, rd, config.cmdline());
            LOG.debug("loaded {} (ends 0x{}), initrd at 0x{}", config.kernel(), Long.toHexString(loaded.kernelEnd()),
                    Long.toHexString(loaded.initrdAddress()));
            var cpuid = GuestCpuid.of(kvm).masked(config.cpuidMasks());
            vm.setCpuid(cpuid);
            for (var v : vm.vcpuList) BootMsrs.apply(v, cpuid);
            BootCpuState.apply(vm.vcpuList.get(0)); // the APs wait for INIT/SIPI in the in-kernel LAPIC
        });
    }

    /**
     * A VM with no guest loaded: KVM VM, vCPUs in their reset state, RAM, the devices. It must
     * never run ({@link #startPaused} only); it exists to be captured and restored, e.g. to warm a
     * consolidation server's code paths before its first real VM arrives.
     */
    public static VirtualMachine shell(long memBytes, int cpus) throws IOException {
        var config = new VmConfig(memBytes, cpus, Path.of("(shell)"), java.util.Optional.empty(), "", java.util.Optional.empty(),
                false, java.util.Optional.empty(), java.util.Optional.empty(), false, List.of());
        var parts = new Parts(memBytes, cpus, null, null, null, null, false, false, RamBacking.anonymous());
        return assemble(config, parts, (kvm, vm) -> vm.setCpuid(kvm.supportedCpuid()));
    }

    /**
     * Rebuilds a VM from a descriptor with <em>no RAM populated</em>: guest memory is a fresh
     * MAP_NORESERVE mapping that the caller fills (userfaultfd on the consolidation server), and
     * dirty logging is on from the start so that reintegration can send back only what the guest
     * writes. The vCPUs are created paused; {@link #start()} runs them.
     */
    public static VirtualMachine restore(MachineState state, BlockBackend disk, NetBackend net, Path consoleLog,
                                         boolean logDirty) throws IOException {
        return restore(state, disk, net, consoleLog, logDirty, RamBacking.anonymous());
    }

    /**
     * Rebuilds a VM from a descriptor whose RAM {@code ram} already holds (a desktop daemon that
     * restarts while its VM is away re-opens its residue this way), or that the caller fills
     * (anonymous RAM on a consolidation server). The vCPUs are created paused.
     */
    public static VirtualMachine restore(MachineState state, BlockBackend disk, NetBackend net, Path consoleLog,
                                         boolean logDirty, RamBacking ram) throws IOException {
        try {
            return restoreChecked(state, disk, net, consoleLog, logDirty, ram);
        } catch (IOException | RuntimeException e) {
            if (net != null) net.close(); // the VM owns its network backend, also when it could not be built
            throw e;
        }
    }

    private static VirtualMachine restoreChecked(MachineState state, BlockBackend disk, NetBackend net, Path consoleLog,
                                                 boolean logDirty, RamBacking ram) throws IOException {
        if (state.hasDisk() && disk == null) throw new IllegalArgumentException("the descriptor has a disk but no backend was given");
        if (state.hasNet() && net == null) {
            throw new IllegalArgumentException("the VM has a network card (MAC " + Nic.format(state.mac())
                    + ") and this host gave it no network to join");
        }
        if (state.hasDisk() && disk.capacitySectors() != state.diskSectors()) {
            throw new IllegalArgumentException("disk backend has " + disk.capacitySectors() + " sectors, descriptor says "
                    + state.diskSectors());
        }
        var config = new VmConfig(state.memBytes(), state.cpus(), Path.of("(restored)"), java.util.Optional.empty(), "",
                java.util.Optional.empty(), false, java.util.Optional.empty(), java.util.Optional.ofNullable(consoleLog),
                false, List.of());
        var parts = new Parts(state.memBytes(), state.cpus(), state.hasDisk() ? disk : null,
                state.hasNet() ? net : null, state.mac(), consoleLog, false, logDirty, ram);
        return assemble(config, parts, (kvm, vm) -> {
            vm.setCpuid(state.cpuid());
            vm.applyState(state);
        });
    }

    private record Parts(long memBytes, int cpus, BlockBackend disk, NetBackend net, byte[] mac, Path consoleLog,
                         boolean consoleToTerminal, boolean logDirty, RamBacking ram) {}

    @FunctionalInterface
    private interface Finisher {
        void finish(Kvm kvm, VirtualMachine vm) throws IOException;
    }

    private static VirtualMachine assemble(VmConfig config, Parts parts, Finisher finisher) throws IOException {
        var owned = new ArrayList<AutoCloseable>();
        try {
            var virtio = new ArrayList<VirtioDevice>();
            if (parts.disk() != null) virtio.add(new VirtioBlock(parts.disk(), "jettison-disk"));
            if (parts.net() != null) virtio.add(new VirtioNet(parts.net(), parts.mac()));

            var kvm = Kvm.open();
            owned.add(kvm);
            var kvmVm = kvm.createVm();
            owned.add(kvmVm);
            kvmVm.createPlatform();

            var ram = parts.ram().map(parts.memBytes());
            owned.add(ram);
            var regions = new ArrayList<MemoryRegion>();
            long hostOffset = 0;
            int slot = 0;
            for (var range : MemoryLayout.ramRanges(parts.memBytes())) {
                var host = ram.segment().asSlice(hostOffset, range.size());
                regions.add(new MemoryRegion(slot, range.start(), host));
                kvmVm.setMemoryRegion(slot, range.start(), host, parts.logDirty());
                hostOffset += range.size();
                slot++;
            }
            var memory = new GuestMemory(regions);
            if (parts.logDirty()) memory.trackHostAccess();

            var lines = new LineCollector();
            var sinks = new ArrayList<ConsoleSink>(List.of(lines));
            if (parts.consoleLog() != null) {
                var file = new FileConsoleSink(parts.consoleLog());
                owned.add(file);
                sinks.add(file);
            }
            if (parts.consoleToTerminal()) sinks.add(new PrintStreamConsoleSink(System.out));

            var control = new ControlRelay();
            var io = new IoBus();
            var devices = DeviceSet.create(io, memory, gsi -> high -> kvmVm.irqLine(gsi, high), control,
                    ConsoleSink.tee(sinks.toArray(ConsoleSink[]::new)), virtio);
            owned.add(devices);
            // No frame may reach guest RAM before the VM runs: a restored VM's rings are not even there yet.
            devices.nics().forEach(VirtioNet::hold);

            var vcpuList = new ArrayList<KvmVcpu>();
            for (int i = 0; i < parts.cpus(); i++) {
                var vcpu = kvmVm.createVcpu(i);
                owned.add(vcpu);
                vcpuList.add(vcpu);
            }
            var runner = new VcpuSet(vcpuList, io, new MmioBus(), memory);
            control.target = runner;
            var vm = new VirtualMachine(config, owned, kvm, kvmVm, ram, memory, devices, lines, vcpuList, runner, parts);
            finisher.finish(kvm, vm);
            return vm;
        } catch (IOException | RuntimeException e) {
            closeAll(owned);
            if (parts.net() != null) parts.net().close(); // the VM owned it; closing twice is harmless
            throw e;
        }
    }

    private static byte[] readInput(Path path, String what) throws IOException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + path + " does not exist");
        }
    }

    /** A stable locally administered MAC derived from the tap name, so a VM keeps its address across runs. */
    static byte[] macFor(String name) {
        int h = name.hashCode();
        return new byte[] {0x52, 0x54, 0x00, (byte) (h >>> 16), (byte) (h >>> 8), (byte) h};
    }

    public VmConfig config() { return config; }

    public GuestMemory memory() { return memory; }

    public KvmVm kvmVm() { return vm; }

    public DeviceSet devices() { return devices; }

    public LineCollector console() { return console; }

    public VcpuSet vcpus() { return vcpus; }

    public void start() {
        vcpus.start(false);
        devices.nics().forEach(VirtioNet::release);
    }

    /** Starts the vCPU threads parked, for a VM whose state the caller will still change; its NIC holds frames. */
    public void startPaused() { vcpus.start(true); }

    /** Types {@code line} (plus a newline) on the guest's serial console. */
    public void sendConsoleLine(String line) {
        devices.serial().inject((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public VmExit awaitExit(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return vcpus.exit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new VmExit.Failed(String.valueOf(e.getCause()));
        }
    }

    /**
     * Parks every vCPU and holds the NIC's receive side, so neither the guest nor a device changes
     * guest RAM or device state until {@link #resume}: what {@link #capture} needs.
     */
    public void pause(Duration timeout) throws TimeoutException {
        vcpus.pause(timeout);
        devices.nics().forEach(VirtioNet::hold);
    }

    /** Runs the vCPUs again; frames the NIC held are delivered first. */
    public void resume() {
        devices.nics().forEach(VirtioNet::release);
        vcpus.resume();
    }

    /**
     * The VM now runs elsewhere: received frames are dropped here rather than kept for a guest
     * that will come back with a later state (docs/network.md).
     */
    public void discardNetwork() { devices.nics().forEach(VirtioNet::discard); }

    /** Tells the layer-2 segment that the VM is here now (RARP and gratuitous ARP, repeated); see {@link VirtioNet#announce}. */
    public void announce() { devices.nics().forEach(VirtioNet::announce); }

    /** The VM's network card, if it has one. */
    public java.util.Optional<VirtioNet> nic() { return devices.nics().stream().findFirst(); }

    /** Thread states and registers of every vCPU, for reports on a guest that stopped making progress. */
    public String diagnose() { return vcpus.diagnose(Duration.ofSeconds(5)); }

    public void stop() { vcpus.stop(new VmExit.Stopped()); }

    @Override
    public void close() {
        vcpus.stop(new VmExit.Stopped());
        try {
            vcpus.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", owned.get(i), e.toString());
            }
        }
    }
}
