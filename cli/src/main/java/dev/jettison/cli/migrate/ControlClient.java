package dev.jettison.cli.migrate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a desktop daemon's local control API. */
final class ControlClient {
    private ControlClient() {}

    static int post(String desktop, String pathAndQuery) throws IOException, InterruptedException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var req = HttpRequest.newBuilder(URI.create("http://" + desktop + pathAndQuery))
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
