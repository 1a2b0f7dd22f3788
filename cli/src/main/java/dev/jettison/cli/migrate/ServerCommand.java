package dev.jettison.cli.migrate;

import dev.jettison.agent.wol.WakeOnLanPackets;
import dev.jettison.core.prefetch.PrefetchPolicy;
import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.partial.ConsolidationServer;
import dev.jettison.migration.partial.NicPlug;
import dev.jettison.migration.partial.ServerSettings;
import dev.jettison.migration.partial.ServerWarmup;
import dev.jettison.vmm.devices.virtio.BridgePort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the consolidation server: hosts partial VMs sent by desktops.")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--listen", description = "address for desktops (default 127.0.0.1:7800; port 0 = any)")
    String listen = "127.0.0.1:7800";

    @Option(names = "--state-dir", description = "per-VM disk slices, console logs, fault traces (default ~/.cache/jettison/server)")
    Path stateDir = Path.of(System.getProperty("user.home"), ".cache", "jettison", "server");

    @Option(names = "--prefetch", description = "prefetch policy (see core PrefetchPolicy.parse; default: on-demand pivot window, paper §3.4)")
    String prefetch = "ondemand";

    @Option(names = "--prefetch-for", description = "a prefetch policy for one VM, VM=POLICY (repeatable)")
    java.util.Map<String, String> prefetchFor = new java.util.LinkedHashMap<>();

    @Option(names = "--wol-broadcast", description = "where remoteWakeup sends Wake-on-LAN magic packets: the desktops' "
            + "subnet broadcast address on a LAN (default: each desktop's own address, enough for emulated desktops)")
    String wolBroadcast;

    @Option(names = "--wol-port", description = "UDP port for magic packets when a desktop names none (default 9)")
    int wolPort = WakeOnLanPackets.DEFAULT_PORT;

    @Option(names = "--request-timeout", description = "seconds without an answer before memtap wakes and re-asks the desktop (default 2)")
    double requestTimeout = 2;

    @Option(names = "--http", description = "read-only status page, GET /vms: one \"vmId state\" line per VM here "
            + "(e.g. 127.0.0.1:0; default: none)")
    String http;

    @picocli.CommandLine.Mixin
    dev.jettison.cli.keys.TlsOptions tls = new dev.jettison.cli.keys.TlsOptions();

    @Option(names = "--bridge", description = "the bridge on the desktops' layer-2 segment: a VM with a network card gets a "
            + "tap of its own on it and keeps its MAC and address here (default: none; such VMs are refused)")
    String bridge;

    @Option(names = "--no-warmup", description = "skip the warm-up at start (a tiny VM restored and paged in over loopback, "
            + "so that the first consolidation is as quick as later ones); for comparison")
    boolean noWarmup;

    @Override
    public Integer call() throws Exception {
        var security = tls.security(dev.jettison.migration.wire.Role.SERVER, null);
        var config = FaultHandler.Config.paperDefaults().withPolicy(PrefetchPolicy.parse(prefetch))
                .withRequestTimeout(java.time.Duration.ofMillis((long) (requestTimeout * 1000)));
        var wol = new WakeOnLanPackets(wolBroadcast == null ? null : InetAddress.getByName(wolBroadcast), wolPort);
        if (!noWarmup) ServerWarmup.run(config); // before we listen: no desktop waits for it
        var nics = bridge == null ? NicPlug.NONE : NicPlug.bridge(bridge);
        if (bridge != null) BridgePort.open(bridge).close(); // a wrong --bridge fails now, not at the first consolidation
        try (var server = ConsolidationServer.start(stateDir, config, Endpoints.parse(listen), wol, ServerSettings.DEFAULT.withSecurity(security), nics)) {
            prefetchFor.forEach((vm, p) -> server.prefetchPolicy(vm, PrefetchPolicy.parse(p)));
            // The first line is for scripts (and jettison demo) that started us with port 0.
            System.out.println("jettison server listening on " + Endpoints.format(server.address()));
            System.out.flush();
            // SIGTERM (systemctl stop, Ctrl-C): every VM is asked home before the process goes.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-shutdown"));
            try (var page = http == null ? null : ServerStatusPage.start(Endpoints.parse(http), () -> states(server))) {
                if (page != null) System.out.println("jettison server status on http://" + Endpoints.format(page.address()) + "/vms");
                System.out.flush();
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }

    private static java.util.Map<String, String> states(ConsolidationServer server) {
        var m = new java.util.HashMap<String, String>();
        for (String id : server.hostedVmIds()) m.put(id, server.state(id));
        return m;
    }
}
