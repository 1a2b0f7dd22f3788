package dev.jettison.migration.memserv;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * memserv (§4): on the desktop, serves pages of the paused VM's RAM, the residue, to the
 * consolidation server. Read-only: nothing a peer sends can change the residue. All-zero pages
 * go out as a marker. The server decides which pages to ask for (the faulting page and its pivot
 * window, by the core prefetch policy), because only it knows what it already holds; each request
 * is a contiguous run answered page by page in order.
 */
public final class PageServer {
    private static final Logger log = LoggerFactory.getLogger(PageServer.class);

    /** Counters since the server was made. */
    public record Stats(long requests, long pages, long zeroPages, long dataBytes, long badRequests) {}

    private final String vmId;
    private final long ramBytes;
    private final SessionConnections sessions = new SessionConnections();
    private final GuestPages residue;
    private final Runnable onRequest;
    private final ServiceGate gate;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong zeroPages = new AtomicLong();
    private final AtomicLong dataBytes = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();

    /**
     * @param onRequest called on every request, so the desktop agent knows not to microsleep now
     *                  (§4: "whenever these state servers receive a request, they notify the activityMonitor")
     * @param gate      holds every reply, the handshake's included, while the desktop microsleeps (§3.3)
     */
    public PageServer(String vmId, GuestPages residue, Runnable onRequest, ServiceGate gate) {
        this.vmId = vmId;
        this.ramBytes = residue.bytes();
        this.residue = residue;
        this.onRequest = onRequest;
        this.gate = gate;
    }

    public PageServer(String vmId, GuestPages residue, Runnable onRequest) {
        this(vmId, residue, onRequest, ServiceGate.OPEN);
    }

    public PageServer(String vmId, GuestPages residue) {
        this(vmId, residue, () -> { });
    }

    /** Listens on {@code bind} (port 0 = any) and serves every connection on its own virtual thread. */
    public TcpListener listen(InetSocketAddress bind) throws IOException {
        return listen(bind, WireSecurity.PLAINTEXT);
    }

    /** Listens through {@code security}: with mutual TLS only a peer the site CA named a server gets a Hello back. */
    public TcpListener listen(InetSocketAddress bind, WireSecurity security) throws IOException {
        return TcpListener.open(bind, "memserv-" + vmId, this::serve, TcpListener.Options.DEFAULT.withKeepAlive().withSecurity(security));
    }

    public Stats stats() {
        return new Stats(requests.get(), pages.get(), zeroPages.get(), dataBytes.get(), badRequests.get());
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
        RequestLoop.admit(gate, "memserv", vmId);
        var served = sessions.current();
        Handshake.server(t, h -> h.vmId().equals(vmId) && h.session().equals(served) && !served.isNone()
                && h.ramBytes() == ramBytes
                ? Optional.of(Message.Hello.of(vmId, served, ramBytes, 0, Role.DESKTOP)) : Optional.empty());
        if (!sessions.join(served, t)) return;
        try {
            t.readTimeout(Duration.ZERO); // a memtap may stay quiet for hours; keepalive watches the link
            log.debug("memserv {}: serving {} (epoch {})", vmId, t.peer(), served);
            RequestLoop.serve(t, "memserv", vmId, Message.PageRequest.class, r -> answer(t, r),
                    badRequests::incrementAndGet, gate);
        } finally {
            sessions.leave(t);
        }
    }

    private void answer(Transport t, Message.PageRequest r) throws IOException {
        onRequest.run();
        requests.incrementAndGet();
        List<Message> out = new ArrayList<>(r.count());
        for (long p = r.page(); p < r.page() + r.count(); p++) {
            MemorySegment page = residue.page(p);
            if (GuestPages.isZero(page)) {
                zeroPages.incrementAndGet();
                out.add(Message.PageData.zero(r.requestId(), p));
            } else {
                dataBytes.addAndGet(page.byteSize());
                out.add(new Message.PageData(r.requestId(), p, page.toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        pages.addAndGet(r.count());
        t.sendAll(out);
    }
}
