package dev.jettison.migration.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;

/**
 * {@link Transport} over a blocking socket, meant to be driven from virtual threads: a plain TCP
 * socket, or an {@link javax.net.ssl.SSLSocket} layered on one by mutual TLS ({@link WireSecurity}).
 * TCP_NODELAY because a remote fault is one small request waiting on one reply: Nagle's delay
 * would dominate the service time.
 */
public final class TcpTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object sendLock = new Object();
    private final PeerIdentity identity;
    private volatile Codec codec;

    public TcpTransport(Socket socket, Limits limits) throws IOException {
        this(socket, limits, PeerIdentity.UNAUTHENTICATED);
    }

    /** @param identity who the peer proved to be (an SSLSocket's handshake is already done) */
    public TcpTransport(Socket socket, Limits limits, PeerIdentity identity) throws IOException {
        this.socket = socket;
        this.identity = identity;
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.codec = new Codec(limits);
    }

    /** Connects in plaintext with a timeout; the limits are those before the Hello. */
    public static TcpTransport connect(SocketAddress address, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, timeoutMillis);
            return new TcpTransport(s, Limits.beforeHello());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public PeerIdentity identity() { return identity; }

    @Override
    public void readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * Probes an idle connection (30 s idle, then every 10 s, 3 misses): a peer whose host died
     * without closing is noticed in about a minute instead of TCP's hours. Only on the desktop's
     * side: a server probing a desktop in S3 would tear down connections the desktop still wants.
     */
    public void keepAlive() throws IOException {
        keepAlive(socket);
    }

    /** {@link #keepAlive()} on a TCP socket before any TLS is layered on it. */
    public static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        } catch (UnsupportedOperationException e) {
            // Not Linux: the system's keepalive timing applies.
        }
    }

    @Override
    public void send(Message m) throws IOException {
        byte[] frame = codec.encode(m);
        synchronized (sendLock) {
            out.write(frame);
            out.flush();
        }
    }

    @Override
    public void sendAll(List<? extends Message> ms) throws IOException {
        Codec c = codec;
        byte[][] frames = new byte[ms.size()][];
        for (int i = 0; i < frames.length; i++) frames[i] = c.encode(ms.get(i));
        synchronized (sendLock) {
            for (byte[] f : frames) out.write(f);
            out.flush();
        }
    }

    @Override
    public Message receive() throws IOException {
        return codec.read(in);
    }

    @Override
    public void limits(Limits limits) {
        codec = new Codec(limits);
    }

    @Override
    public Limits limits() {
        return codec.limits();
    }

    @Override
    public String peer() {
        SocketAddress a = socket.getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : String.valueOf(a);
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a socket that failed already: nothing left to release.
        }
    }

    @Override
    public String toString() {
        return (socket instanceof javax.net.ssl.SSLSocket ? "tls " : "tcp ") + peer();
    }
}
