package dev.jettison.cli.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The desktop daemon's local HTTP control API on virtual threads, every path behind a
 * {@link ControlGuard}: actions answer POST only, views GET only, and each request must come from
 * this API's own origin with the daemon's token. A refused request changes nothing and learns
 * only why it was refused.
 */
public final class ControlApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    private final HttpServer http;
    private final ControlGuard guard;
    private final String token;

    private ControlApi(HttpServer http, String token) {
        this.http = http;
        this.token = token;
        this.guard = new ControlGuard(token, http.getAddress().getPort());
    }

    /** Binds {@code bind} and writes a fresh token into {@code stateDir} (and the copy for the CLI). */
    public static ControlApi start(InetSocketAddress bind, Path stateDir) throws IOException {
        var http = HttpServer.create(bind, 8);
        // One request that waits on the server must never hold up /status.
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        var api = new ControlApi(http, ControlToken.create(stateDir, http.getAddress()));
        http.start();
        return api;
    }

    /** A path that changes something: POST only. */
    public void action(String path, HttpHandler h) {
        http.createContext(path, guarded(h, true));
    }

    /** A path that shows state: GET only. */
    public void view(String path, HttpHandler h) {
        http.createContext(path, guarded(h, false));
    }

    public InetSocketAddress address() { return http.getAddress(); }

    String token() { return token; }

    private HttpHandler guarded(HttpHandler h, boolean action) {
        return ex -> {
            var refusal = guard.check(ex.getRequestMethod(), ex.getRequestHeaders(), action);
            if (refusal.isPresent()) {
                LOG.warn("control API: refused {} {} from {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                        ex.getRemoteAddress(), refusal.get().reason());
                if (refusal.get().status() == 405) ex.getResponseHeaders().set("Allow", action ? "POST" : "GET");
                reply(ex, refusal.get().status(), refusal.get().reason() + "\n");
                return;
            }
            h.handle(ex);
        };
    }

    static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops listening, then lets the requests under way answer (up to two seconds): the last one
     * is often what ended the VM ({@code POST /console?line=halt}), and its caller must hear so.
     */
    @Override
    public void close() {
        http.stop(2);
    }
}
