package dev.jettison.migration.partial;

import dev.jettison.migration.cownetdisk.CowNetDisk;
import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.migration.memtap.DesktopWaker;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.memtap.FaultTrace;
import dev.jettison.migration.memtap.HoardStore;
import dev.jettison.migration.memtap.RemoteWakeup;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.StateSource;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;

/**
 * Turns a desktop's descriptor into a VM running on the server (paper §4): decodes it, opens the
 * epoch's copy-on-write disk, restores the VM with empty RAM, starts memtap (and hoarding) and
 * the vCPUs. Whatever it opened is closed again if any step fails, so a refused admission leaves
 * nothing behind: no VM, no memtap, no open trace, no epoch folder.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private Admission() {}

    static HostedVm admit(ConsolidationServer server, Message.Hello hello, Message.Endpoints ends, Message.Descriptor d,
                          InetAddress desktop) throws DescriptorException, IOException {
        long t0 = System.nanoTime();
        var state = DescriptorCodec.decode(d.bytes());
        if (state.memBytes() != hello.ramBytes()) {
            throw new DescriptorException("descriptor says " + state.memBytes() + " RAM bytes, Hello said " + hello.ramBytes());
        }
        var vmDir = server.stateDir().resolve(hello.vmId());
        var epochDir = vmDir.resolve(ConsolidationServer.EPOCH_PREFIX + hello.session().hex());
        Files.createDirectories(epochDir);
        DesktopWaker packets = ends.wakeMac() == 0 ? DesktopWaker.NONE
                : server.wakePackets().to(desktop, ends.wakeMac(), ends.wakePort());
        var wakeup = new RemoteWakeup(packets);
        Runnable orphaned = () -> server.orphaned(hello.vmId(), hello.session());
        var address = new DesktopAddress(desktop, ends.pagePort(), ends.blockPort(), server.settings().security());
        CowNetDisk disk = null;
        dev.jettison.vmm.devices.virtio.NetBackend net = null;
        VirtualMachine vm = null;
        FaultTrace trace = null;
        FaultHandler memtap = null;
        try {
            if (state.hasDisk()) {
                var blocks = new StateSource(hello.vmId(), hello.session(), address.blocks(), orphaned);
                disk = CowNetDisk.open(epochDir, blocks, state.diskSectors() * 512,
                        CowNetDisk.Options.defaults().withWaker(wakeup));
            }
            // Before the VM: a server without a network for it refuses it here, the cheap way.
            if (state.hasNet()) net = server.nics().plug(hello.vmId(), state.mac());
            long t1 = System.nanoTime();
            var backend = net;
            net = null; // the VM owns it now, also if the restore fails
            vm = VirtualMachine.restore(state, disk, backend, vmDir.resolve("console.log"), true);
            long t2 = System.nanoTime();
            trace = FaultTrace.open(vmDir.resolve("faults-" + System.currentTimeMillis() + ".csv"), hello.vmId());
            var config = server.faultConfig(hello.vmId()).withWaker(wakeup);
            var pages = new StateSource(hello.vmId(), hello.session(), address.pages(), orphaned);
            memtap = FaultHandler.start(pages, GuestPages.of(vm.memory()), config, trace);
            var tap = memtap;
            wakeup.outstanding(() -> tap.outstandingRequests() > 0);
            // Device code runs on Java threads: it must never be the first to touch a missing page.
            vm.memory().populateWith(memtap::populate);
            // The restore placed the rings before memtap existed: fetch them now, not from a device thread later.
            vm.devices().populateRings();
            var hoard = new HoardStore(vmDir.resolve("hoard-history.txt"));
            if (config.policy().hoardPages() > 0) {
                int asked = memtap.hoard(ConsolidationServer.loadHistory(hello.vmId(), hoard));
                LOG.info("VM {}: hoarding {} pages its earlier consolidations needed", hello.vmId(), asked);
            }
            long t3 = System.nanoTime();
            vm.start();
            vm.announce(); // the VM's MAC is on this port now (docs/network.md)
            // Consolidation latency is the paper's headline figure (§5.3): say where the server's share went.
            LOG.info("VM {} admitted in {} ms: decode and disk {} ms, VM restore {} ms, memtap {} ms, vCPU start {} ms",
                    hello.vmId(), ms(System.nanoTime() - t0), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(System.nanoTime() - t3));
            return new HostedVm(hello.vmId(), hello.session(), epochDir, vm, memtap, disk, hoard, wakeup, packets, trace,
                    address, server.settings());
        } catch (IOException | RuntimeException e) {
            if (vm != null) vm.close();
            if (net != null) net.close();
            if (memtap != null) memtap.close();
            if (trace != null) trace.close();
            if (disk != null) disk.close();
            ConsolidationServer.closeWakeSender(hello.vmId(), packets);
            ConsolidationServer.deleteTree(epochDir);
            throw e;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
