package dev.jettison.cli.migrate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jettison.cli.Sizes;
import dev.jettison.migration.partial.Desktop;
import dev.jettison.migration.partial.MigrationException;
import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.guest.TestGuest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The desktop daemon: runs the user's VM, serves its pages and blocks while it is consolidated,
 * and takes commands on a small local HTTP API (POST /consolidate?server=HOST:PORT,
 * POST /reintegrate, GET /status) that {@code jettison consolidate|reintegrate} call.
 */
@Command(name = "desktop", mixinStandardHelpOptions = true,
        description = "Run the desktop daemon: the VM runs here until consolidated to a server.")
public final class DesktopCommand implements Callable<Integer> {
    @Option(names = "--vm-id", description = "name of this desktop's VM (default: desktop)")
    String vmId = "desktop";

    @Option(names = "--kernel", description = "bzImage (default: the test guest OS)")
    Path kernel;

    @Option(names = "--initrd", description = "initramfs for the kernel")
    Path initrd;

    @Option(names = "--mem", description = "guest RAM (default 1G)")
    String mem = "1G";

    @Option(names = "--disk", description = "raw disk image (the residue keeps it; the server fetches blocks)")
    Path disk;

    @Option(names = "--cmdline", description = "kernel command line (default: prog=idle)")
    String cmdline = "prog=idle";

    @Option(names = "--serve", description = "address the server fetches pages and blocks from (default 127.0.0.1:0)")
    String serve = "127.0.0.1:0";

    @Option(names = "--control", description = "local HTTP control address (default 127.0.0.1:7700)")
    String control = "127.0.0.1:7700";

    @Option(names = "--console-log", description = "write the guest console here too")
    Path consoleLog;

    @Override
    public Integer call() throws Exception {
        var k = kernel != null ? kernel : TestGuest.bzImage();
        var cfg = VmConfig.of(k, Sizes.parse(mem)).withCmdline(cmdline).withDisk(disk, false).withInitrd(initrd)
                .withConsole(consoleLog, true);
        try (var vm = VirtualMachine.create(cfg); var desktop = new Desktop(vmId, vm, disk, Endpoints.parse(serve))) {
            vm.start();
            var http = HttpServer.create(Endpoints.parse(control), 8);
            http.createContext("/consolidate", ex -> handle(ex, () -> {
                var server = Endpoints.parse(query(ex, "server"));
                long ms = desktop.consolidate(server);
                return "consolidated " + vmId + " to " + Endpoints.format(server) + " in " + ms + " ms\n";
            }));
            http.createContext("/reintegrate", ex -> handle(ex, () -> desktop.reintegrate(Duration.ofMinutes(5)).summary() + "\n"));
            http.createContext("/status", ex -> handle(ex, () -> vmId + " " + desktop.state() + "\n"));
            http.start();
            System.err.println("jettison desktop: VM " + vmId + " running; control on http://" + control);
            var exit = vm.awaitExit(Duration.ofDays(3650));
            http.stop(0);
            System.err.println("jettison desktop: VM ended: " + exit);
            return exit.clean() ? 0 : 1;
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
        } catch (MigrationException | IllegalArgumentException e) {
            status = 409;
            body = e.getMessage() + "\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(key)) return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("missing ?" + key + "=");
    }
}
