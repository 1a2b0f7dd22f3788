package dev.jettison.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class QmpTest {
    /** query-migrate after a completed pre-copy, as QEMU 7.2 sends it (one line). */
    static final String COMPLETED = """
            {"return": {"expected-downtime": 300, "status": "completed", "setup-time": 4, "total-time": 1534, \
            "ram": {"total": 4312137728, "postcopy-requests": 0, "dirty-sync-count": 3, "multifd-bytes": 0, \
            "pages-per-second": 91226, "downtime-bytes": 0, "page-size": 4096, "remaining": 0, \
            "postcopy-bytes": 0, "mbps": 6710.88, "transferred": 1295251612, "dirty-sync-missed-zero-copy": 0, \
            "precopy-bytes": 1295000000, "duplicate": 738521, "dirty-pages-rate": 0, "skipped": 0, \
            "normal-bytes": 1289011200, "normal": 314700}, "downtime": 17}}""";

    @Test
    void parsesQueryMigrate() throws IOException {
        var ret = QmpClient.resultOf("query-migrate", QmpClient.parse(COMPLETED));
        var s = QemuMigrationStats.parse(ret);
        assertEquals("completed", s.status());
        assertTrue(s.finished() && s.completed());
        assertEquals(1534, s.totalTimeMs());
        assertEquals(17, s.downtimeMs());
        assertEquals(1295251612L, s.ramTransferred());
        assertEquals(738521, s.zeroPages());
        assertEquals(314700, s.normalPages());
        assertNull(s.error());
    }

    @Test
    void failedMigrationKeepsItsError() throws IOException {
        var s = QemuMigrationStats.parse(QmpClient.parse("{\"status\":\"failed\",\"error-desc\":\"Unable to write to socket: Broken pipe\"}"));
        assertTrue(s.finished());
        assertFalse(s.completed());
        assertEquals("Unable to write to socket: Broken pipe", s.error());
        assertEquals(-1, s.totalTimeMs());
    }

    @Test
    void activeMigrationIsNotFinished() throws IOException {
        assertFalse(QemuMigrationStats.parse(QmpClient.parse("{\"status\":\"postcopy-active\",\"ram\":{\"transferred\":5}}")).finished());
    }

    @Test
    void errorReplyBecomesException() throws IOException {
        var reply = QmpClient.parse("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Postcopy is not enabled\"}}");
        var e = assertThrows(IOException.class, () -> QmpClient.resultOf("migrate-start-postcopy", reply));
        assertTrue(e.getMessage().contains("Postcopy is not enabled"), e.getMessage());
    }

    @Test
    void aLineThatIsNotAJsonObjectIsNamed() {
        var e = assertThrows(IOException.class, () -> QmpClient.parse("{\"a\":1} x"));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertThrows(IOException.class, () -> QmpClient.parse("{\"a\":"));
        var e2 = assertThrows(IOException.class, () -> QmpClient.parse("[1, 2]"));
        assertTrue(e2.getMessage().contains("not a JSON object"), e2.getMessage());
    }

    @Test
    void talksQmpOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("qmp.sock");
        var received = new ArrayList<String>();
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            var t = Thread.ofPlatform().start(() -> {
                try (var ch = server.accept()) {
                    var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                    var send = (java.util.function.Consumer<String>) s -> {
                        try {
                            ch.write(ByteBuffer.wrap((s + "\r\n").getBytes(StandardCharsets.UTF_8)));
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    };
                    send.accept("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, \"capabilities\": []}}");
                    received.add(in.readLine());
                    send.accept("{\"return\": {}}");
                    received.add(in.readLine());
                    send.accept("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"MIGRATION\", \"data\": {\"status\": \"setup\"}}");
                    send.accept(COMPLETED);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (var qmp = QmpClient.connect(sock, Duration.ofSeconds(5), () -> true)) {
                var s = QemuMigrationStats.parse(qmp.execute("query-migrate", null));
                assertEquals(17, s.downtimeMs());
            }
            t.join();
        }
        assertEquals("{\"execute\":\"qmp_capabilities\"}", received.get(0));
        assertEquals("{\"execute\":\"query-migrate\"}", received.get(1));
    }
}
