package dev.jettison.vmm.devices.virtio;

import java.nio.ByteBuffer;

/**
 * The frames a VM's NIC sends when it appears on a new port (paper §4: the desktop and the server
 * share one layer-2 segment), as QEMU's self-announce does: a RARP from the VM's MAC, which needs no
 * IP address and which every switch on the segment learns the MAC's new port from, and a gratuitous
 * ARP for the guest's IPv4 address (when the VMM has seen the guest use one), which also refreshes
 * the peers' ARP caches. Both are broadcasts, sent several times with growing gaps
 * ({@link #GAPS_MILLIS}) in case one is lost.
 */
public final class Announcement {
    /** Waits before each round, after resume: QEMU's defaults (50 ms initial, +100 ms a round, five rounds). */
    public static final long[] GAPS_MILLIS = {0, 50, 150, 250, 350};
    public static final int ETHERTYPE_ARP = 0x0806, ETHERTYPE_RARP = 0x8035, ETHERTYPE_IPV4 = 0x0800;
    /** Ethernet's shortest frame without its FCS. */
    static final int MIN_FRAME = 60;

    private Announcement() {}

    /** RARP "reverse request" (opcode 3) from and for {@code mac}: what QEMU's announce sends. */
    public static byte[] rarp(byte[] mac) {
        return arpLike(ETHERTYPE_RARP, 3, mac, 0, mac, 0);
    }

    /** Gratuitous ARP request for {@code ipv4} (sender and target address both the guest's). */
    public static byte[] garp(byte[] mac, int ipv4) {
        return arpLike(ETHERTYPE_ARP, 1, mac, ipv4, new byte[6], ipv4);
    }

    /** An ARP-format frame to the broadcast address, with the 10-byte vnet header the backends expect. */
    private static byte[] arpLike(int ethertype, int op, byte[] sha, int spa, byte[] tha, int tpa) {
        var b = ByteBuffer.allocate(VirtioNet.HEADER_BYTES + MIN_FRAME);
        b.position(VirtioNet.HEADER_BYTES);
        for (int i = 0; i < 6; i++) b.put((byte) 0xFF);
        b.put(sha).putShort((short) ethertype);
        b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) op);
        b.put(sha).putInt(spa).put(tha).putInt(tpa);
        return b.array(); // zero padding to 60 bytes is already there
    }
}
