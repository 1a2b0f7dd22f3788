package dev.jettison.migration.diskserv;

import dev.jettison.migration.wire.Handshake;
import dev.jettison.migration.wire.Message;
import dev.jettison.migration.wire.RequestLoop;
import dev.jettison.migration.wire.Role;
import dev.jettison.migration.wire.SessionConnections;
import dev.jettison.migration.wire.SessionId;
import dev.jettison.migration.wire.ServiceGate;
import dev.jettison.migration.wire.TcpListener;
import dev.jettison.migration.wire.WireSecurity;
import dev.jettison.migration.wire.Transport;
import dev.jettison.migration.wire.Wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * diskserv (§4): on the desktop, serves 4 KiB blocks of the VM's raw disk image to the server's
 * cownetdisk, read-only. The image is opened read-only per connection, so nothing a peer sends
 * can write it and reintegration can rewrite it between consolidations. All-zero blocks go out as
 * a marker; the last block of an image that is not a whole number of blocks is padded with zeros.
 */
public final class BlockServer {
    private static final byte[] ZERO = new byte[Wire.BLOCK_SIZE];

    /** Counters since the server was made. */
    public record Stats(long requests, long blocks, long zeroBlocks, long dataBytes, long badRequests) {}

    private final Path image;
    private final String vmId;
    private final long diskBytes;
    private final SessionConnections sessions = new SessionConnections();
    private final Runnable onRequest;
    private final ServiceGate gate;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong zeroBlocks = new AtomicLong();
    private final AtomicLong dataBytes = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();

    /**
     * @param onRequest called on every request, so the desktop agent does not microsleep now (§4)
     * @param gate      holds every reply, the handshake's included, while the desktop microsleeps (§3.3)
     */
    public BlockServer(String vmId, Path image, Runnable onRequest, ServiceGate gate) throws IOException {
        this.image = image;
        this.vmId = vmId;
        this.diskBytes = Files.size(image);
        this.onRequest = onRequest;
        this.gate = gate;
    }

    /** @param onRequest called on every request, so the desktop agent does not microsleep now (§4) */
    public BlockServer(String vmId, Path image, Runnable onRequest) throws IOException {
        this(vmId, image, onRequest, ServiceGate.OPEN);
    }

    public BlockServer(String vmId, Path image) throws IOException {
        this(vmId, image, () -> { });
    }

    public long diskBytes() { return diskBytes; }

    public TcpListener listen(InetSocketAddress bind) throws IOException {
        return listen(bind, WireSecurity.PLAINTEXT);
    }

    /** Listens through {@code security}: with mutual TLS only a peer the site CA named a server gets a Hello back. */
    public TcpListener listen(InetSocketAddress bind, WireSecurity security) throws IOException {
        return TcpListener.open(bind, "diskserv-" + vmId, this::serve, TcpListener.Options.DEFAULT.withKeepAlive().withSecurity(security));
    }

    public Stats stats() {
        return new Stats(requests.get(), blocks.get(), zeroBlocks.get(), dataBytes.get(), badRequests.get());
    }

    /** From now on serves consolidation epoch {@code session} (and only it). */
    public void open(SessionId session) {
        sessions.open(session);
    }

    /** Ends the current epoch: its connections are closed and its Hellos refused from now on. */
    public void end() {
        sessions.end();
    }

    /**
     * Serves one connection of the current epoch until Bye, end of stream or a frame that breaks
     * the framing; a Hello for another VM, epoch or size is refused without saying what is served.
     */
    public void serve(Transport t) throws IOException {
        RequestLoop.admit(gate, "diskserv", vmId);
        var served = sessions.current();
        Handshake.server(t, h -> h.vmId().equals(vmId) && h.session().equals(served) && !served.isNone()
                && h.diskBytes() == diskBytes
                ? Optional.of(Message.Hello.of(vmId, served, 0, diskBytes, Role.DESKTOP)) : Optional.empty());
        if (!sessions.join(served, t)) return;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            t.readTimeout(Duration.ZERO); // a cownetdisk may stay quiet for hours; keepalive watches the link
            RequestLoop.serve(t, "diskserv", vmId, Message.BlockRequest.class, r -> answer(t, ch, r),
                    badRequests::incrementAndGet, gate);
        } finally {
            sessions.leave(t);
        }
    }

    private void answer(Transport t, FileChannel ch, Message.BlockRequest r) throws IOException {
        onRequest.run();
        requests.incrementAndGet();
        List<Message> out = new ArrayList<>(r.count());
        for (long b = r.block(); b < r.block() + r.count(); b++) {
            byte[] data = readBlock(ch, b);
            if (Arrays.equals(data, ZERO)) {
                zeroBlocks.incrementAndGet();
                out.add(Message.BlockData.zero(r.requestId(), b));
            } else {
                dataBytes.addAndGet(data.length);
                out.add(new Message.BlockData(r.requestId(), b, data));
            }
        }
        blocks.addAndGet(r.count());
        t.sendAll(out);
    }

    private static byte[] readBlock(FileChannel ch, long block) throws IOException {
        byte[] data = new byte[Wire.BLOCK_SIZE];
        ByteBuffer buf = ByteBuffer.wrap(data);
        long pos = block * Wire.BLOCK_SIZE;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) break; // past the end: the rest stays zero
            pos += n;
        }
        return data;
    }
}
