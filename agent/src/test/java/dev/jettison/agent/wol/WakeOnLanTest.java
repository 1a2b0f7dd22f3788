package dev.jettison.agent.wol;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wake-on-LAN, on loopback only. */
class WakeOnLanTest {
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    @Test
    void magicPacketIsSixFfThenTheMacSixteenTimes() {
        String expected = "ffffffffffff" + "525400123456".repeat(16);
        assertEquals(expected, HexFormat.of().formatHex(MagicPacket.of(MAC)));
        assertEquals(102, MagicPacket.of(MAC).length);
    }

    @Test
    void capturedPacketOnTheWireIsByteExact() throws Exception {
        try (var capture = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             var sender = new WakeOnLanSender(MAC, new InetSocketAddress("127.0.0.1", capture.getLocalPort()))) {
            capture.setSoTimeout(5000);
            sender.wake();
            var buf = new byte[512];
            var p = new DatagramPacket(buf, buf.length);
            capture.receive(p);
            assertEquals(102, p.getLength());
            assertEquals(HexFormat.of().formatHex(MagicPacket.of(MAC)), HexFormat.of().formatHex(buf, 0, p.getLength()));
            assertEquals(1, sender.sent());
        }
    }

    @Test
    void listenerWakesOnlyForItsOwnMac() throws Exception {
        var woke = new CountDownLatch(1);
        try (var listener = new WakeOnLanListener(MAC, new InetSocketAddress("127.0.0.1", 0), woke::countDown);
             var junk = new DatagramSocket()) {
            var to = new InetSocketAddress("127.0.0.1", listener.port());
            try (var wrong = new WakeOnLanSender(MacAddress.parse("52-54-00-99-99-99"), to)) {
                wrong.wake();
            }
            junk.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, to));
            Thread.sleep(300);
            assertEquals(1, woke.getCount(), "neither another desktop's packet nor junk wakes us");
            try (var right = new WakeOnLanSender(MAC, to)) {
                right.wake();
            }
            assertTrue(woke.await(5, TimeUnit.SECONDS));
            assertEquals(1, listener.wakeups());
            assertEquals(2, listener.ignored());
        }
    }

    @Test
    void malformedPacketsSayWhatIsWrong() {
        var why = new StringBuilder();
        assertTrue(MagicPacket.parse(new byte[50], 50, why).isEmpty());
        assertTrue(why.toString().contains("at least 102"), why.toString());
        byte[] p = MagicPacket.of(MAC);
        p[3] = 0;
        why.setLength(0);
        assertTrue(MagicPacket.parse(p, p.length, why).isEmpty());
        assertTrue(why.toString().contains("not 0xFF"), why.toString());
        p = MagicPacket.of(MAC);
        p[6 + 6 * 7 + 2] ^= 1;
        why.setLength(0);
        assertTrue(MagicPacket.parse(p, p.length, why).isEmpty());
        assertTrue(why.toString().contains("repeat 8"), why.toString());
    }

    @Test
    void badMacTextIsRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34"));
        assertTrue(e.getMessage().contains("six hex pairs"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:zz"));
        assertTrue(e2.getMessage().contains("'zz' is not hex"), e2.getMessage());
    }
}
