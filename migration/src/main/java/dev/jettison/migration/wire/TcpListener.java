package dev.jettison.migration.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts TCP connections and runs each one on its own virtual thread. A handler that throws
 * ends only its own connection: the listener keeps accepting. Peers are bounded: at most
 * {@link Options#maxConnections()} at once (more are closed at once), and every connection must
 * get through its Hello within {@link Options#handshakeTimeout()} (the handler lifts the timeout
 * once it knows the peer), with frames of at most {@link Limits#BEFORE_HELLO_MAX_PAYLOAD} bytes
 * until then.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    /** What to do with one accepted connection; the transport is closed when it returns. */
    @FunctionalInterface
    public interface Handler {
        void serve(Transport t) throws Exception;
    }

    /**
     * @param maxConnections   connections served at once; one more is closed on accept
     * @param handshakeTimeout read timeout set on every accepted connection, for its Hello
     * @param keepAlive        TCP keepalive probes on accepted connections (the desktop's services)
     * @param security         mutual TLS, or plaintext ({@code --insecure}): the handshake of which
     *                         runs on the connection's thread within {@code handshakeTimeout}
     */
    public record Options(int maxConnections, java.time.Duration handshakeTimeout, boolean keepAlive,
                          WireSecurity security) {
        /** 64 connections: a VM's memtap and cownetdisk need two, reconnects briefly a few more. */
        public static final Options DEFAULT = new Options(64, Handshake.DEFAULT_TIMEOUT, false);

        public Options(int maxConnections, java.time.Duration handshakeTimeout, boolean keepAlive) {
            this(maxConnections, handshakeTimeout, keepAlive, WireSecurity.PLAINTEXT);
        }

        public Options {
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be > 0: " + handshakeTimeout);
            }
            java.util.Objects.requireNonNull(security, "security");
        }

        public Options withKeepAlive() { return new Options(maxConnections, handshakeTimeout, true, security); }

        public Options withMaxConnections(int n) { return new Options(n, handshakeTimeout, keepAlive, security); }

        public Options withSecurity(WireSecurity s) { return new Options(maxConnections, handshakeTimeout, keepAlive, s); }
    }

    private final ServerSocket server;
    private final String name;
    private final Handler handler;
    private final Options options;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    /** Connections accepted and not yet finished: counted on accept, so a burst cannot overshoot the limit. */
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    private final Set<Transport> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private TcpListener(ServerSocket server, String name, Handler handler, Options options) {
        this.server = server;
        this.name = name;
        this.handler = handler;
        this.options = options;
        this.acceptor = Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
    }

    /** Binds (port 0 = any free port) and starts accepting. */
    public static TcpListener open(InetSocketAddress bind, String name, Handler handler) throws IOException {
        return open(bind, name, handler, Options.DEFAULT);
    }

    public static TcpListener open(InetSocketAddress bind, String name, Handler handler, Options options) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(bind);
        } catch (IOException e) {
            s.close();
            throw new IOException(name + ": cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        return new TcpListener(s, name, handler, options);
    }

    /** Connections open now. */
    public int openConnections() { return active.get(); }

    /** Connections closed on accept because {@link Options#maxConnections()} were open. */
    public long refusedConnections() { return refused.get(); }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketException e) {
                if (!closed) log.error("{}: accept failed, listener stops: {}", name, e.toString());
                return;
            } catch (IOException e) {
                log.warn("{}: accept failed: {}", name, e.toString());
                continue;
            }
            if (active.incrementAndGet() > options.maxConnections()) {
                active.decrementAndGet();
                if (refused.getAndIncrement() % 100 == 0) {
                    log.warn("{}: {} connections open, the limit; closing the one from {}", name, options.maxConnections(),
                            s.getRemoteSocketAddress());
                }
                try { s.close(); } catch (IOException ignored) { /* refusing it anyway */ }
                continue;
            }
            Thread.ofVirtual().name(name + "-conn").start(() -> serveOne(s));
        }
    }

    private void serveOne(Socket s) {
        try {
            serveCounted(s);
        } finally {
            active.decrementAndGet();
        }
    }

    private void serveCounted(Socket s) {
        Transport t;
        try {
            if (options.keepAlive()) TcpTransport.keepAlive(s);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.handshakeTimeout().toMillis()));
            t = options.security().server(s, options.handshakeTimeout());
            t.readTimeout(options.handshakeTimeout());
        } catch (PeerRefusedException e) {
            // The peer learns nothing but the TLS alert: no VM, no Error frame.
            log.warn("{}: refused {}: {}", name, s.getRemoteSocketAddress(), e.getMessage());
            try { s.close(); } catch (IOException ignored) { /* refusing it anyway */ }
            return;
        } catch (IOException e) {
            log.warn("{}: cannot set up connection from {}: {}", name, s.getRemoteSocketAddress(), e.toString());
            try { s.close(); } catch (IOException ignored) { /* already broken */ }
            return;
        }
        open.add(t);
        try (t) {
            handler.serve(t);
        } catch (Exception e) {
            if (!closed) log.warn("{}: connection from {} ended: {}", name, t.peer(), e.toString());
        } finally {
            open.remove(t);
        }
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // The socket is going away either way.
        }
        for (Transport t : open) t.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
