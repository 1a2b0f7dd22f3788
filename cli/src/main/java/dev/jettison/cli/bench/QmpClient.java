package dev.jettison.cli.bench;

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
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A QMP connection over a unix socket: one command at a time, asynchronous events skipped. */
final class QmpClient implements AutoCloseable {
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
                    var greeting = q.readLine();
                    if (!greeting.containsKey("QMP")) throw new IOException("not a QMP greeting: " + greeting);
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

    /** Runs a command; {@code argsJson} is a JSON object text or null. Returns the "return" value. */
    Object execute(String command, String argsJson) throws IOException {
        String msg = "{\"execute\":" + Json.quote(command) + (argsJson == null ? "" : ",\"arguments\":" + argsJson) + "}\n";
        var buf = ByteBuffer.wrap(msg.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) channel.write(buf);
        while (true) {
            var reply = readLine();
            if (reply.containsKey("event")) continue;
            return resultOf(command, reply);
        }
    }

    Map<String, Object> executeObject(String command, String argsJson) throws IOException {
        return Json.object(execute(command, argsJson));
    }

    /** The "return" of a QMP reply, or an IOException carrying its "error". */
    static Object resultOf(String command, Map<String, Object> reply) throws IOException {
        if (reply.containsKey("return")) return reply.get("return");
        if (reply.get("error") instanceof Map<?, ?> err) {
            throw new IOException("QMP " + command + " failed: " + err.get("class") + ": " + err.get("desc"));
        }
        throw new IOException("unexpected QMP reply to " + command + ": " + reply);
    }

    private Map<String, Object> readLine() throws IOException {
        String line = in.readLine();
        if (line == null) throw new IOException("QEMU closed its QMP socket");
        return Json.object(Json.parse(line));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
