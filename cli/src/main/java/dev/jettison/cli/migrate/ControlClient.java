package dev.jettison.cli.migrate;

import dev.jettison.cli.control.ControlToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Calls a desktop daemon's local control API, with the token the daemon wrote for its user. */
final class ControlClient {
    private ControlClient() {}

    /**
     * POSTs to the desktop at {@code desktop} (HOST:PORT); the token comes from {@code tokenFile}, or
     * if null from the copy the daemon keeps for its control address ({@link ControlToken#forAddress}).
     */
    static int post(String desktop, String pathAndQuery, Path tokenFile) throws IOException, InterruptedException {
        String address = Endpoints.format(Endpoints.parse(desktop));
        String token = ControlToken.read(tokenFile != null ? tokenFile : ControlToken.forAddress(address));
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var req = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery))
                .header(ControlToken.HEADER, ControlToken.SCHEME + token)
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r;
        try {
            r = client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("no desktop daemon at " + desktop + " (start one with: jettison desktop)");
        }
        (r.statusCode() == 200 ? System.out : System.err).print(r.body());
        return r.statusCode() == 200 ? 0 : 1;
    }
}
