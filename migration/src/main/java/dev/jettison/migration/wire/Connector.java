package dev.jettison.migration.wire;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Opens a fresh transport to the desktop; called again after every failure, so it must not cache. */
@FunctionalInterface
public interface Connector {
    Transport connect() throws IOException;

    /** Plain TCP with a connect timeout. */
    static Connector tcp(InetSocketAddress desktop, int connectTimeoutMillis) {
        return () -> TcpTransport.connect(desktop, connectTimeoutMillis);
    }

    /** Through {@code security} (mutual TLS or plaintext) with a connect and handshake timeout. */
    static Connector of(WireSecurity security, InetSocketAddress desktop, int connectTimeoutMillis) {
        return () -> security.connect(desktop, connectTimeoutMillis);
    }
}
