package dev.jettison.agent.wol;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WakeOnLanPacketsTest {
    @Test
    void aMacRoundTripsThroughItsWireForm() {
        var mac = MacAddress.parse("52:54:00:ab:cd:ef");
        assertEquals(0x525400ABCDEFL, mac.toLong());
        assertEquals(mac, MacAddress.of(mac.toLong()));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(1L << 48));
    }

    @Test
    void remoteWakeupSendsTheDesktopsMagicPacketToItsAddressAndPort() throws Exception {
        try (var capture = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            capture.setSoTimeout(5000);
            var packets = new WakeOnLanPackets(null, WakeOnLanPackets.DEFAULT_PORT);
            var waker = packets.to(InetAddress.getByName("127.0.0.1"), 0x525400ABCDEFL, capture.getLocalPort());
            try {
                waker.wake();
                var p = new DatagramPacket(new byte[200], 200);
                capture.receive(p);
                assertArrayEquals(MagicPacket.of(MacAddress.parse("52:54:00:ab:cd:ef")), Arrays.copyOf(p.getData(), p.getLength()));
            } finally {
                ((AutoCloseable) waker).close();
            }
        }
    }
}
