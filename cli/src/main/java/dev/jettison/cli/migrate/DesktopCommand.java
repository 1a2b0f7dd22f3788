package dev.jettison.cli.migrate;

import com.sun.net.httpserver.HttpExchange;
import dev.jettison.cli.control.ControlApi;
import dev.jettison.cli.control.ControlToken;
import dev.jettison.cli.Sizes;
import dev.jettison.agent.desktop.DesktopAgent;
import dev.jettison.agent.power.HostSuspend;
import dev.jettison.agent.wol.MacAddress;
import dev.jettison.core.energy.PowerProfile;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.migration.partial.DesktopState;
import dev.jettison.migration.partial.MigrationException;
import dev.jettison.migration.partial.ResidueStore;
import dev.jettison.sys.net.TapDevice;
import dev.jettison.vmm.Nic;
import dev.jettison.vmm.devices.virtio.BridgePort;
import dev.jettison.vmm.devices.virtio.FileBlockBackend;
import dev.jettison.vmm.devices.virtio.TapNetBackend;
import dev.jettison.vmm.snapshot.DescriptorCodec;
import dev.jettison.vmm.snapshot.DescriptorException;
import dev.jettison.vmm.snapshot.MachineState;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.cli.vm.GuestBoot;
import dev.jettison.vmm.guest.DebianGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The desktop daemon: runs the user's VM, serves its pages and blocks while it is consolidated,
 * and takes commands on a small local HTTP API (POST /consolidate?server=HOST:PORT,
 * POST /reintegrate, GET /status) that {@code jettison consolidate|reintegrate} call, and
 * POST /console?line=TEXT, which types a line into the guest's console while it runs here. Every
 * request needs the token the daemon writes to its state folder, from this API's own origin
 * ({@link ControlApi}).
 */
@Command(name = "desktop", mixinStandardHelpOptions = true,
        description = "Run the desktop daemon: the VM runs here until consolidated to a server.")
public final class DesktopCommand implements Callable<Integer> {
    @Option(names = "--vm-id", description = "name of this desktop's VM (default: desktop)")
    String vmId = "desktop";

    @Option(names = "--guest", description = "test (default: our test guest OS), linux or debian (the Debian desktop; "
            + "its disk is a copy of the built image in the state dir, made on first use; docs/guests.md)")
    GuestBoot.Kind guest = GuestBoot.Kind.test;

    @Option(names = "--kernel", description = "bzImage (default: the guest's own)")
    Path kernel;

    @Option(names = "--initrd", description = "initramfs for the kernel")
    Path initrd;

    @Option(names = "--mem", description = "guest RAM (default 1G)")
    String mem = "1G";

    @Option(names = "--cpus", description = "vCPUs (default 1; the server runs the VM with as many)")
    int cpus = 1;

    @Option(names = "--disk", description = "raw disk image (the residue keeps it; the server fetches blocks)")
    Path disk;

    @Option(names = "--cmdline", description = "kernel command line (default: the guest's, prog=idle for the test guest)")
    String cmdline;

    @Option(names = "--append", description = "kernel arguments added to the command line (e.g. jettison.ip=10.0.0.2/24)")
    String append;

    @Option(names = "--serve", description = "address the server fetches pages and blocks from (default 127.0.0.1:0)")
    String serve = "127.0.0.1:0";

    @Option(names = "--control", description = "local HTTP control address (default 127.0.0.1:7700)")
    String control = "127.0.0.1:7700";

    @Option(names = "--console-log", description = "write the guest console here too")
    Path consoleLog;

    @Option(names = "--state-dir", description = "where the residue outlives this daemon: guest RAM as a file and, while the "
            + "VM is away, the record of that consolidation; a daemon restarted with the same options takes it up again "
            + "(default ~/.cache/jettison/desktop/VM-ID; a tmpfs such as /dev/shm/... avoids writing RAM to disk)")
    Path stateDir;

    @Option(names = "--power", description = "microsleeps while the VM is away: emulated (S3 emulated from the power profile; "
            + "default), host (real S3 of this machine via /sys/power/state; needs root and Wake-on-LAN in the NIC), none")
    String power = "emulated";

    @Option(names = "--profile", description = "power profile: table1 (the paper's desktop, default) or fast2s (2 s suspend/resume)")
    String profile = "table1";

    @Option(names = "--time-scale", description = "emulated S3 only: transitions and t_w run this many times faster (default 1)")
    double timeScale = 1;

    @Option(names = "--mac", description = "this desktop's MAC for Wake-on-LAN (default 52:54:00:4a:54:01)")
    String mac = "52:54:00:4a:54:01";

    @Option(names = "--tap", description = "give the VM a network card on this existing tap interface")
    String tap;

    @Option(names = "--bridge", description = "give the VM a network card on a tap of its own on this bridge (created now, "
            + "removed at exit); the consolidation server must be on the same layer-2 segment (server --bridge)")
    String bridge;

    @Option(names = "--vm-mac", description = "the VM's MAC, which it keeps wherever it runs (default: derived from --vm-id, "
            + "52:54:00:xx:xx:xx)")
    String vmMac;

    @Option(names = "--wol-listen", description = "emulated S3 only: where the emulated NIC listens for magic packets (default 127.0.0.1:0)")
    String wolListen = "127.0.0.1:0";

    @picocli.CommandLine.Mixin
    dev.jettison.cli.keys.TlsOptions tls = new dev.jettison.cli.keys.TlsOptions();

    @Override
    public Integer call() throws Exception {
        var security = tls.security(dev.jettison.migration.wire.Role.DESKTOP, vmId);
        var store = new ResidueStore(stateDir != null ? stateDir
                : Path.of(System.getProperty("user.home"), ".cache", "jettison", "desktop", vmId));
        // The Debian desktop's disk lives with the rest of its residue, copied from the built image once.
        var boot = GuestBoot.resolve(new GuestBoot.Choice(guest, kernel, initrd, cmdline, append, disk),
                store.dir().resolve(DebianGuest.IMAGE));
        disk = boot.disk();
        var cfg = VmConfig.of(boot.kernel(), Sizes.parse(mem)).withCpus(cpus).withCmdline(boot.cmdline()).withDisk(disk, false)
                .withInitrd(boot.initrd()).withConsole(consoleLog, true);
        var away = store.loadAway();
        if (away.isPresent() && !away.get().vmId().equals(vmId)) {
            throw new IllegalArgumentException(store.dir() + " holds VM " + away.get().vmId() + ", which is away; not " + vmId);
        }
        if (tap != null && bridge != null) throw new IllegalArgumentException("--tap and --bridge: give one");
        if (vmMac != null && tap == null && bridge == null) throw new IllegalArgumentException("--vm-mac needs --tap or --bridge");
        try (var vm = away.isPresent() ? reopen(away.get(), store) : VirtualMachine.create(cfg, store.ram(true), nic(vmMac == null
                ? Nic.derivedMac(vmId) : MacAddress.parse(vmMac).bytes()));
             var agent = agent(vm, new DesktopAgent.Residue(store, away.orElse(null)), security)) {
            var desktop = agent.desktop();
            if (away.isEmpty()) vm.start();
            else System.err.println("jettison desktop: VM " + vmId + " is away (epoch " + away.get().session() + " on "
                    + Endpoints.format(away.get().server()) + "); taking it up again");
            var http = ControlApi.start(Endpoints.parse(control), store.dir());
            http.action("/consolidate", ex -> handle(ex, () -> {
                var server = Endpoints.parse(query(ex, "server"));
                long ms = agent.consolidate(server);
                return "consolidated " + vmId + " to " + Endpoints.format(server) + " in " + ms + " ms\n";
            }));
            http.action("/reintegrate", ex -> handle(ex, () -> agent.reintegrate(Duration.ofMinutes(5)).summary() + "\n"));
            http.view("/energy", ex -> handle(ex, () -> {
                var e = agent.energySoFar();
                return e == null ? "VM " + vmId + " is here: no consolidation under way\n" : e.seriesCsv();
            }));
            http.view("/power.png", ex -> powerPlot(ex, agent));
            http.view("/status", ex -> handle(ex, () -> vmId + " " + desktop.state() + " desktop " + agent.powerState() + "\n"));
            http.action("/console", ex -> handle(ex, () -> typeLine(ex, desktop)));
            System.err.println("jettison desktop: VM " + vmId + " running; control on http://" + Endpoints.format(http.address())
                    + " (POST actions, token in " + store.dir().resolve(ControlToken.FILE) + ")");
            var exit = vm.awaitExit(Duration.ofDays(3650));
            http.close();
            System.err.println("jettison desktop: VM ended: " + exit);
            return exit.clean() ? 0 : 1;
        }
    }

    /**
     * POST /console?line=TEXT types one line into the guest's serial console (e.g. the pattern
     * program's {@code verify}); only while the VM runs here, where its console is.
     */
    static String typeLine(HttpExchange ex, Desktop desktop) throws MigrationException {
        if (!ex.getRequestMethod().equals("POST")) throw new IllegalArgumentException("POST /console?line=TEXT");
        var line = new ConsoleLine(optionalQuery(ex, "line"));
        var state = desktop.state();
        if (state != DesktopState.LOCAL) {
            throw new MigrationException("VM is " + state + ": its console is not on this desktop; type it when it runs here");
        }
        desktop.vm().sendConsoleLine(line.text());
        return "typed " + line.text().length() + " characters\n";
    }

    /** The VM a previous daemon left away, rebuilt paused from its descriptor and its RAM file. */
    private VirtualMachine reopen(ResidueStore.Away away, ResidueStore store) throws IOException {
        var state = decode(away.descriptor());
        var backend = disk == null ? null : new FileBlockBackend(disk, false);
        var card = state.hasNet() ? nic(state.mac()) : null;
        return VirtualMachine.restore(state, backend, card == null ? null : card.backend(), consoleLog, false, store.ram(false));
    }

    /** The VM's network card from --tap or --bridge (on a bridge a tap of its own, gone when the daemon ends), or null. */
    private Nic nic(byte[] mac) {
        if (tap != null) return new Nic(new TapNetBackend(TapDevice.open(tap)), mac);
        if (bridge != null) return new Nic(BridgePort.open(bridge), mac);
        return null;
    }

    private static MachineState decode(byte[] descriptor) throws IOException {
        try {
            return DescriptorCodec.decode(descriptor);
        } catch (DescriptorException e) {
            throw new IOException("the away record's descriptor is unusable: " + e.getMessage(), e);
        }
    }

    private DesktopAgent agent(VirtualMachine vm, DesktopAgent.Residue residue, dev.jettison.migration.wire.WireSecurity security)
            throws IOException {
        var p = switch (profile) {
            case "table1" -> PowerProfile.TABLE_1;
            case "fast2s" -> PowerProfile.FAST_2S;
            default -> throw new IllegalArgumentException("unknown power profile '" + profile + "' (table1 or fast2s)");
        };
        var m = MacAddress.parse(mac);
        return switch (power) {
            case "emulated" -> DesktopAgent.emulated(vmId, vm, disk, Endpoints.parse(serve),
                    new DesktopAgent.Settings(p, timeScale, DesktopAgent.Settings.PAPER_WAIT_MILLIS).withSecurity(security), m,
                    Endpoints.parse(wolListen),
                    residue);
            case "host" -> DesktopAgent.real(vmId, vm, disk, Endpoints.parse(serve), p, HostSuspend.open(), m, residue, security);
            case "none" -> DesktopAgent.emulated(vmId, vm, disk, Endpoints.parse(serve),
                    new DesktopAgent.Settings(p, timeScale, DesktopAgent.Settings.PAPER_WAIT_MILLIS, false).withSecurity(security), m,
                    Endpoints.parse(wolListen), residue);
            default -> throw new IllegalArgumentException("unknown --power '" + power + "' (emulated, host or none)");
        };
    }

    /** The running consolidation's power curve as a Figure 8 style PNG (§5.2). */
    private static void powerPlot(HttpExchange ex, DesktopAgent agent) throws IOException {
        var e = agent.energySoFar();
        if (e == null) {
            byte[] msg = "no consolidation under way\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(404, msg.length);
            try (var out = ex.getResponseBody()) {
                out.write(msg);
            }
            return;
        }
        Path png = java.nio.file.Files.createTempFile("jettison-power", ".png");
        try {
            dev.jettison.cli.energy.PowerPlot.write(e, agent.settings().profile().idleWatts(), "Desktop power while consolidated", png);
            byte[] bytes = java.nio.file.Files.readAllBytes(png);
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, bytes.length);
            try (var out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(png);
        }
    }

    @FunctionalInterface
    private interface Action {
        String run() throws MigrationException, IOException;
    }

    private static void handle(HttpExchange ex, Action action) throws IOException {
        int status = 200;
        String body;
        try {
            body = action.run();
        } catch (IllegalArgumentException e) {
            status = 400; // the request itself is wrong
            body = e.getMessage() + "\n";
        } catch (MigrationException e) {
            status = 409; // right request, wrong moment (or the migration failed)
            body = e.getMessage() + "\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String query(HttpExchange ex, String key) {
        String v = optionalQuery(ex, key);
        if (v == null) throw new IllegalArgumentException("missing ?" + key + "=");
        return v;
    }

    private static String optionalQuery(HttpExchange ex, String key) {
        return dev.jettison.cli.control.ControlQuery.param(ex.getRequestURI().getRawQuery(), key);
    }
}
