package dev.jettison.vmm;

import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.net.TapDevice;
import dev.jettison.vmm.boot.BootCpuState;
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
    private final KvmVm vm;
    private final GuestMemory memory;
    private final MappedRegion ram;
    private final DeviceSet devices;
    private final LineCollector console;
    private final VcpuSet vcpus;

    private VirtualMachine(VmConfig config, List<AutoCloseable> owned, KvmVm vm, MappedRegion ram, GuestMemory memory,
                           DeviceSet devices, LineCollector console, VcpuSet vcpus) {
        this.config = config;
        this.owned = owned;
        this.vm = vm;
        this.ram = ram;
        this.memory = memory;
        this.devices = devices;
        this.console = console;
        this.vcpus = vcpus;
    }

    public static VirtualMachine create(VmConfig config) throws IOException {
        HostMemory.checkFits(config.memBytes());
        BzImage kernel = BzImage.load(config.kernel());
        byte[] initrd = null;
        if (config.initrd().isPresent()) initrd = readInput(config.initrd().get(), "initrd");
        var owned = new ArrayList<AutoCloseable>();
        try {
            var virtio = new ArrayList<VirtioDevice>();
            if (config.disk().isPresent()) {
                Path disk = config.disk().get();
                FileBlockBackend backend;
                try {
                    backend = new FileBlockBackend(disk, config.diskReadOnly());
                } catch (NoSuchFileException e) {
                    throw new IOException("disk image " + disk + " does not exist");
                } catch (IOException e) {
                    throw new IOException("cannot open disk image " + disk + ": " + e.getMessage(), e);
                }
                virtio.add(new VirtioBlock(backend, "jettison-" + disk.getFileName()));
            }
            if (config.tap().isPresent()) {
                var tap = TapDevice.open(config.tap().get());
                virtio.add(new VirtioNet(new TapNetBackend(tap), macFor(config.tap().get())));
            }

            var kvm = Kvm.open();
            owned.add(kvm);
            var vm = kvm.createVm();
            owned.add(vm);
            vm.createPlatform();

            var ram = MappedRegion.anonymous(config.memBytes(), "guest RAM");
            owned.add(ram);
            var regions = new ArrayList<MemoryRegion>();
            long hostOffset = 0;
            int slot = 0;
            for (var range : MemoryLayout.ramRanges(config.memBytes())) {
                var host = ram.segment().asSlice(hostOffset, range.size());
                regions.add(new MemoryRegion(slot, range.start(), host));
                vm.setMemoryRegion(slot, range.start(), host, false);
                hostOffset += range.size();
                slot++;
            }
            var memory = new GuestMemory(regions);

            var lines = new LineCollector();
            var sinks = new ArrayList<ConsoleSink>(List.of(lines));
            if (config.consoleLog().isPresent()) {
                var file = new FileConsoleSink(config.consoleLog().get());
                owned.add(file);
                sinks.add(file);
            }
            if (config.consoleToTerminal()) sinks.add(new PrintStreamConsoleSink(System.out));

            var control = new ControlRelay();
            var io = new IoBus();
            var devices = DeviceSet.create(io, memory, gsi -> high -> vm.irqLine(gsi, high), control,
                    ConsoleSink.tee(sinks.toArray(ConsoleSink[]::new)), virtio);
            owned.add(devices);
            MpTable.write(memory, config.cpus(), devices.pciInterrupts());
            var loaded = LinuxLoader.load(memory, kernel, initrd, config.cmdline());
            LOG.debug("loaded {} (ends 0x{}), initrd at 0x{}", config.kernel(), Long.toHexString(loaded.kernelEnd()),
                    Long.toHexString(loaded.initrdAddress()));

            var cpuid = kvm.supportedCpuid().masked(config.cpuidMasks());
            var vcpuList = new ArrayList<KvmVcpu>();
            for (int i = 0; i < config.cpus(); i++) {
                var vcpu = vm.createVcpu(i);
                owned.add(vcpu);
                vcpu.setCpuid(cpuid.forVcpu(i, config.cpus()));
                vcpuList.add(vcpu);
            }
            BootCpuState.apply(vcpuList.get(0)); // the APs wait for INIT/SIPI in the in-kernel LAPIC
            var runner = new VcpuSet(vcpuList, io, new MmioBus(), memory);
            control.target = runner;
            return new VirtualMachine(config, owned, vm, ram, memory, devices, lines, runner);
        } catch (IOException | RuntimeException e) {
            closeAll(owned);
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

    /** Lets devices built before the vCPUs reach them once they exist. */
    private static final class ControlRelay implements MachineControl {
        volatile VcpuSet target;

        @Override
        public void reset(String why) { if (target != null) target.stop(new VmExit.Reset(why)); }

        @Override
        public void powerOff(int status) { if (target != null) target.stop(new VmExit.PowerOff(status)); }
    }

    public VmConfig config() { return config; }

    public GuestMemory memory() { return memory; }

    public KvmVm kvmVm() { return vm; }

    public DeviceSet devices() { return devices; }

    public LineCollector console() { return console; }

    public VcpuSet vcpus() { return vcpus; }

    public void start() { vcpus.start(false); }

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

    public void pause(Duration timeout) throws TimeoutException { vcpus.pause(timeout); }

    public void resume() { vcpus.resume(); }

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
