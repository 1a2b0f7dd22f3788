package dev.jettison.cli.migrate;

import dev.jettison.migration.memtap.FaultHandler;
import dev.jettison.migration.partial.ConsolidationServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerStatusPageTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void listsOneSortedLinePerVmAndLeavesOutVmsThatLeftWhileListing() {
        var vms = new HashMap<String, String>();
        vms.put("zeta", "FENCED");
        vms.put("alpha", "RUNNING");
        vms.put("gone", null);
        assertEquals("alpha RUNNING\nzeta FENCED\n", ServerStatusPage.render(vms));
        assertEquals("", ServerStatusPage.render(Map.of()));
    }

    @Test
    void servesGetVmsOnlyAndFollowsTheServersState() throws Exception {
        var vms = new ConcurrentHashMap<String, String>();
        try (var page = ServerStatusPage.start(new InetSocketAddress("127.0.0.1", 0), () -> vms)) {
            String base = "http://127.0.0.1:" + page.address().getPort();
            assertEquals(200, get(base + "/vms").statusCode());
            assertEquals("", get(base + "/vms").body());
            vms.put("desk1", "GOING_HOME");
            assertEquals("desk1 GOING_HOME\n", get(base + "/vms").body());
            var post = client.send(HttpRequest.newBuilder(URI.create(base + "/vms")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals(404, get(base + "/other").statusCode());
            assertEquals(404, get(base + "/vms/desk1").statusCode());
        }
    }

    /** The daemon's page reads a real server: one with nothing admitted lists nothing (no KVM needed to listen). */
    @Test
    void anIdleConsolidationServerHoldsNoVms(@TempDir Path dir) throws Exception {
        try (var server = ConsolidationServer.start(dir, FaultHandler.Config.paperDefaults(), new InetSocketAddress("127.0.0.1", 0));
             var page = ServerStatusPage.start(new InetSocketAddress("127.0.0.1", 0), () -> {
                 var m = new HashMap<String, String>();
                 for (String id : server.hostedVmIds()) m.put(id, server.state(id));
                 return m;
             })) {
            assertEquals(0, server.hostedVmIds().size());
            assertEquals("", get("http://127.0.0.1:" + page.address().getPort() + "/vms").body());
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
