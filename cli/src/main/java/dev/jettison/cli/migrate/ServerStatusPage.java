package dev.jettison.cli.migrate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The consolidation server's read-only status page: {@code GET /vms} prints one line per VM held
 * here, "vmId state" (RUNNING, FENCED or GOING_HOME), sorted by id; nothing else is served.
 * Handlers run on virtual threads so a slow reader never holds up another.
 */
public final class ServerStatusPage implements AutoCloseable {
    private final HttpServer http;

    private ServerStatusPage(HttpServer http) {
        this.http = http;
    }

    /** Serves {@code vms} (vmId to state; a state may be null for a VM that left meanwhile) on {@code bind}. */
    public static ServerStatusPage start(InetSocketAddress bind, Supplier<Map<String, String>> vms) throws IOException {
        var http = HttpServer.create(bind, 16);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/vms", ex -> {
            if (!ex.getRequestMethod().equals("GET")) {
                reply(ex, 405, "GET only\n");
            } else if (!ex.getRequestURI().getPath().equals("/vms")) {
                reply(ex, 404, "no such page\n");
            } else {
                reply(ex, 200, render(vms.get()));
            }
        });
        http.createContext("/", ex -> reply(ex, 404, "GET /vms\n"));
        http.start();
        return new ServerStatusPage(http);
    }

    public InetSocketAddress address() { return http.getAddress(); }

    /** One "vmId state" line per VM, sorted; VMs whose state vanished while listing are left out. */
    static String render(Map<String, String> vms) {
        var sb = new StringBuilder();
        new TreeMap<>(vms).forEach((id, state) -> {
            if (state != null) sb.append(id).append(' ').append(state).append('\n');
        });
        return sb.toString();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(1); // let a status request under way answer
    }
}
