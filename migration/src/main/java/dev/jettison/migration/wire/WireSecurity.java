package dev.jettison.migration.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * How a connected socket becomes a {@link Transport}: mutual TLS under the site CA (the
 * {@code migration.tls} package) or, only with {@code --insecure}, plaintext. Every connection of
 * partial migration (control, pages, blocks, reintegration, microsleep announcements) goes
 * through one of these, so no channel can be left out.
 */
public interface WireSecurity {
    /** No encryption, no authentication: every peer may do everything. Only for {@code --insecure} and tests. */
    WireSecurity PLAINTEXT = new WireSecurity() {
        @Override
        public Transport client(Socket connected, Duration handshakeTimeout) throws IOException {
            return new TcpTransport(connected, Limits.beforeHello());
        }

        @Override
        public Transport server(Socket accepted, Duration handshakeTimeout) throws IOException {
            return new TcpTransport(accepted, Limits.beforeHello());
        }

        @Override
        public boolean authenticates() { return false; }

        @Override
        public String toString() { return "plaintext (insecure)"; }
    };

    /**
     * The client end on a socket already connected: after this returns the peer has proved who
     * it is ({@link Transport#identity()}); a refused peer is a {@link PeerRefusedException}.
     */
    Transport client(Socket connected, Duration handshakeTimeout) throws IOException;

    /** The server end on an accepted socket, likewise. */
    Transport server(Socket accepted, Duration handshakeTimeout) throws IOException;

    /** Whether peers are authenticated (and the link encrypted). */
    boolean authenticates();

    /** Connects with a timeout that bounds the TCP connect and the handshake each; the limits are those before the Hello. */
    default Transport connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        return connect(address, timeoutMillis, false);
    }

    /** {@link #connect(InetSocketAddress, int)}, with TCP keepalive probes if {@code keepAlive} ({@link TcpTransport#keepAlive()}). */
    default Transport connect(InetSocketAddress address, int timeoutMillis, boolean keepAlive) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, timeoutMillis);
            if (keepAlive) TcpTransport.keepAlive(s);
            return client(s, Duration.ofMillis(timeoutMillis));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
