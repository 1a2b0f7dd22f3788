package dev.jettison.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A QMP connection over a unix socket: one command at a time, asynchronous events skipped. */
final class QmpClient implements AutoCloseable {
    /** Strict: a QMP line is one JSON object and nothing after it. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final SocketChannel channel;
    private final BufferedReader in;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /** Connects (waiting for QEMU to create the socket), reads the greeting and leaves negotiation mode. */
    static QmpClient connect(Path socket, Duration timeout, BooleanSupplier alive) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(socket)) {
                var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    var q = new QmpClient(ch);
                    var greeting = q.readMessage();
                    if (!greeting.has("QMP")) throw new IOException("not a QMP greeting: " + greeting);
                    q.execute("qmp_capabilities", null);
                    return q;
                } catch (IOException e) {
                    ch.close();
                    if (System.nanoTime() > deadline) throw e;
                }
            } else if (!alive.getAsBoolean()) {
                throw new IOException("QEMU exited before opening its QMP socket " + socket);
            } else if (System.nanoTime() > deadline) {
                throw new IOException("QEMU did not open its QMP socket " + socket + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** A command's arguments from JSON text (constants in the code). */
    static JsonNode arguments(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("QMP arguments are not JSON: " + json, e);
        }
    }

    /** Runs a command with {@code arguments} (an object, or null for none). Returns the "return" value. */
    JsonNode execute(String command, JsonNode arguments) throws IOException {
        var msg = JSON.createObjectNode().put("execute", command);
        if (arguments != null) msg.set("arguments", arguments);
        var buf = ByteBuffer.wrap((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) channel.write(buf);
        while (true) {
            var reply = readMessage();
            if (reply.has("event")) continue;
            return resultOf(command, reply);
        }
    }

    /** The "return" of a QMP reply, or an IOException carrying its "error". */
    static JsonNode resultOf(String command, JsonNode reply) throws IOException {
        if (reply.has("return")) return reply.get("return");
        var err = reply.get("error");
        if (err != null && err.isObject()) {
            throw new IOException("QMP " + command + " failed: " + err.path("class").asText() + ": " + err.path("desc").asText());
        }
        throw new IOException("unexpected QMP reply to " + command + ": " + reply);
    }

    /** One message: QMP sends each JSON object on a line of its own. */
    static JsonNode parse(String line) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IOException("QEMU sent a QMP line that is not JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) throw new IOException("QEMU sent a QMP line that is not a JSON object: " + line);
        return n;
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) throw new IOException("QEMU closed its QMP socket");
        return parse(line);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
