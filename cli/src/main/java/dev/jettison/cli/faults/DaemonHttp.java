package dev.jettison.cli.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The daemons' HTTP pages as a user's tools call them: the desktop's control API, with the token
 * its daemon wrote (read again for every request: a restarted daemon has a new one), and the
 * server's GET /vms.
 */
final class DaemonHttp implements StatusProbe {
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();
    private final String desktop;
    private final String server;
    private final java.nio.file.Path desktopToken;

    DaemonHttp(String desktopBaseUrl, String serverBaseUrl, java.nio.file.Path desktopToken) {
        this.desktop = desktopBaseUrl;
        this.server = serverBaseUrl;
        this.desktopToken = desktopToken;
    }

    /** The desktop daemon's current token; none yet (it is starting) sends "none", which is refused. */
    private String token() {
        try {
            return dev.jettison.cli.control.ControlToken.read(desktopToken);
        } catch (IOException e) {
            return "none";
        }
    }

    @Override
    public Optional<String> desktopState() {
        return get(desktop + "/status", true).flatMap(DaemonHttp::parseDesktopStatus);
    }

    @Override
    public Optional<Map<String, String>> serverVms() {
        return get(server + "/vms", false).map(DaemonHttp::parseServerVms);
    }

    /** "vmId STATE desktop POWER" → STATE. */
    static Optional<String> parseDesktopStatus(String body) {
        String[] f = body.strip().split("\\s+");
        return f.length >= 2 ? Optional.of(f[1]) : Optional.empty();
    }

    /** Lines of "vmId state". */
    static Map<String, String> parseServerVms(String body) {
        var m = new LinkedHashMap<String, String>();
        body.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
            String[] f = l.split("\\s+");
            m.put(f[0], f.length > 1 ? f[1] : "");
        });
        return m;
    }

    private Optional<String> get(String url, boolean toDesktop) {
        try {
            var b = HttpRequest.newBuilder(URI.create(url)).timeout(STATUS_TIMEOUT).GET();
            if (toDesktop) b.header(dev.jettison.cli.control.ControlToken.HEADER, dev.jettison.cli.control.ControlToken.SCHEME + token());
            var r = client.send(b.build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    record Reply(int status, String body) {
        boolean ok() { return status == 200; }

        String firstLine() { return body.lines().findFirst().orElse("").strip(); }
    }

    /** POSTs to the desktop's control API, waiting at most {@code timeout} for the answer. */
    Reply post(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        var r = client.send(request(pathAndQuery, timeout), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** As {@link #post}, without waiting: the fault strikes while the request is under way. */
    CompletableFuture<Reply> postAsync(String pathAndQuery, Duration timeout) {
        return client.sendAsync(request(pathAndQuery, timeout), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    Reply typeLine(String line) throws IOException, InterruptedException {
        return post("/console?line=" + URLEncoder.encode(line, StandardCharsets.UTF_8), Duration.ofSeconds(10));
    }

    private HttpRequest request(String pathAndQuery, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(desktop + pathAndQuery)).timeout(timeout)
                .header(dev.jettison.cli.control.ControlToken.HEADER, dev.jettison.cli.control.ControlToken.SCHEME + token())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }
}
