package dev.jettison.migration.wire;

import java.io.IOException;
import java.util.List;

/**
 * A bidirectional message channel between desktop and server: mutual TLS, or plaintext TCP with
 * {@code --insecure} ({@link WireSecurity}); the protocol code never sees the socket.
 * {@link #send} may be called from several threads; {@link #receive} from one reader at a time.
 */
public interface Transport extends AutoCloseable {
    /** Sends and flushes one message. */
    void send(Message m) throws IOException;

    /** Sends several messages with one flush: a fault's page request and its prefetch runs leave together. */
    default void sendAll(List<? extends Message> ms) throws IOException {
        for (Message m : ms) send(m);
    }

    /**
     * The next message. {@link java.io.EOFException} when the peer closed cleanly between frames,
     * {@link ProtocolException} for a bad frame (drop the connection unless
     * {@link ProtocolException.Kind#framingIntact()}).
     */
    Message receive() throws IOException;

    /**
     * Longest a {@link #receive} may block (zero = no limit); one that times out throws
     * {@link java.net.SocketTimeoutException} and leaves the stream out of step, so the caller
     * must then drop the connection.
     */
    void readTimeout(java.time.Duration timeout) throws IOException;

    /** Limits for frames received from now on: set after the Hello tells the VM's size. */
    void limits(Limits limits);

    Limits limits();

    /** Who the peer proved to be; {@link PeerIdentity#UNAUTHENTICATED} on a plaintext link. */
    default PeerIdentity identity() { return PeerIdentity.UNAUTHENTICATED; }

    /** Who is on the other end, for log lines. */
    String peer();

    /** The peer's address: the server reaches the desktop's memserv and diskserv on its host. */
    java.net.SocketAddress remoteAddress();

    @Override
    void close();
}
