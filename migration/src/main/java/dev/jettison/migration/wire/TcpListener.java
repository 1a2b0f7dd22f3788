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
 * ends only its own connection: the listener keeps accepting.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    /** What to do with one accepted connection; the transport is closed when it returns. */
    @FunctionalInterface
    public interface Handler {
        void serve(Transport t) throws Exception;
    }

    private final ServerSocket server;
    private final String name;
    private final Handler handler;
    private final Set<Transport> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private TcpListener(ServerSocket server, String name, Handler handler) {
        this.server = server;
        this.name = name;
        this.handler = handler;
        this.acceptor = Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
    }

    /** Binds (port 0 = any free port) and starts accepting. */
    public static TcpListener open(InetSocketAddress bind, String name, Handler handler) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(bind);
        } catch (IOException e) {
            s.close();
            throw new IOException(name + ": cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        return new TcpListener(s, name, handler);
    }

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
            Thread.ofVirtual().name(name + "-conn").start(() -> serveOne(s));
        }
    }

    private void serveOne(Socket s) {
        TcpTransport t;
        try {
            t = new TcpTransport(s, Limits.beforeHello());
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
