package dev.jettison.cli.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The desktop's control API against the requests a hostile web page or local process can make:
 * a cross-origin POST, a GET on an action, a missing or wrong token, a rebound DNS name: each
 * gets 403 or 405 and the action never runs. Raw HTTP over a socket, so every header is the
 * test's choice (as it is an attacker's).
 */
class ControlApiTest {
    @TempDir Path state;
    ControlApi api;
    final AtomicInteger actions = new AtomicInteger();
    String token;
    String host;

    @BeforeEach
    void start() throws IOException {
        System.setProperty("jettison.control.dir", state.resolve("control").toString()); // not the user's ~/.cache
        api = ControlApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), state);
        api.action("/consolidate", ex -> ControlApi.reply(ex, 200, "consolidated " + actions.incrementAndGet() + "\n"));
        api.view("/status", ex -> ControlApi.reply(ex, 200, "vm LOCAL\n"));
        token = ControlToken.read(state.resolve(ControlToken.FILE));
        host = "127.0.0.1:" + api.address().getPort();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Sends one request with exactly these header lines; returns the status code. */
    int send(String method, String path, String... headers) throws IOException {
        try (var s = new Socket(api.address().getAddress(), api.address().getPort())) {
            var req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String h : headers) req.append(h).append("\r\n");
            req.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    String auth() { return "Authorization: Bearer " + token; }

    @Test
    void theTokenFileIsTheUsersAloneAndTheCliFindsItsCopy() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(ControlToken.FILE))));
        assertEquals(token, ControlToken.read(ControlToken.forAddress(host)));
        assertEquals(64, token.length());
    }

    /**
     * Found by the fault suite: typing {@code halt} ends the guest, the daemon closes its API at
     * once, and the request that typed it got no answer at all. A request under way when the API
     * closes is answered first.
     */
    @Test
    void aRequestUnderWayWhenTheApiClosesIsStillAnswered() throws Exception {
        var entered = new java.util.concurrent.CountDownLatch(1);
        api.action("/console", ex -> {
            entered.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ControlApi.reply(ex, 200, "typed 4 characters\n");
        });
        var status = new java.util.concurrent.CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            try {
                status.complete(send("POST", "/console?line=halt", "Host: " + host, auth()));
            } catch (IOException | RuntimeException e) {
                status.completeExceptionally(e);
            }
        });
        assertTrue(entered.await(5, java.util.concurrent.TimeUnit.SECONDS));
        api.close(); // what the daemon does when its VM ends
        assertEquals(200, status.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void theRightRequestRuns() throws IOException {
        assertEquals(200, send("POST", "/consolidate?server=127.0.0.1:7800", "Host: " + host, auth()));
        assertEquals(200, send("POST", "/consolidate", "Host: localhost:" + api.address().getPort(), auth(),
                "Origin: http://localhost:" + api.address().getPort(), "Sec-Fetch-Site: same-origin"));
        assertEquals(200, send("GET", "/status", "Host: " + host, auth()));
        assertEquals(2, actions.get());
    }

    @Test
    void hostileRequestsAreRefusedAndChangeNothing() throws IOException {
        // a page on another site posting to us: its browser adds its Origin
        assertEquals(403, send("POST", "/consolidate?server=6.6.6.6:7800", "Host: " + host, auth(), "Origin: https://evil.example"));
        assertEquals(403, send("POST", "/consolidate", "Host: " + host, auth(), "Origin: null"));
        assertEquals(403, send("POST", "/consolidate", "Host: " + host, auth(), "Sec-Fetch-Site: cross-site"));
        // DNS rebinding: the page's own name now points at 127.0.0.1
        assertEquals(403, send("POST", "/consolidate", "Host: evil.example:" + api.address().getPort(), auth()));
        assertEquals(403, send("POST", "/consolidate", "Host: 127.0.0.1:1", auth()));
        assertEquals(403, send("POST", "/consolidate", auth()));
        // no token, a wrong one, a truncated one, two of them
        assertEquals(403, send("POST", "/consolidate", "Host: " + host));
        assertEquals(403, send("POST", "/consolidate", "Host: " + host, "Authorization: Bearer " + "0".repeat(64)));
        assertEquals(403, send("POST", "/consolidate", "Host: " + host, "Authorization: Bearer " + token.substring(1)));
        assertEquals(403, send("POST", "/consolidate", "Host: " + host, auth(), auth()));
        assertEquals(403, send("GET", "/status", "Host: " + host));
        // the right token, the wrong method
        assertEquals(405, send("GET", "/consolidate?server=6.6.6.6:7800", "Host: " + host, auth()));
        assertEquals(405, send("PUT", "/consolidate", "Host: " + host, auth()));
        assertEquals(405, send("POST", "/status", "Host: " + host, auth()));
        assertEquals(0, actions.get(), "no refused request ran the action");
    }
}
