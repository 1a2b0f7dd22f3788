package dev.jettison.vmm;

import dev.jettison.vmm.devices.virtio.NetBackend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A VM's network card: where its frames go and the MAC it keeps wherever it runs. */
public record Nic(NetBackend backend, byte[] mac) {
    public Nic {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        if ((mac[0] & 1) != 0) throw new IllegalArgumentException("the VM's MAC must be unicast (first octet even): " + format(mac));
        mac = mac.clone();
    }

    @Override
    public byte[] mac() { return mac.clone(); }

    /**
     * A stable, locally administered MAC for the VM named {@code vmId} (52:54:00 like QEMU's, then
     * three bytes of the name's SHA-256): the same VM gets the same address on every start and host.
     */
    public static byte[] derivedMac(String vmId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(vmId.getBytes(StandardCharsets.UTF_8));
            return new byte[] {0x52, 0x54, 0x00, h[0], h[1], h[2]};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    public static String format(byte[] mac) { return HexFormat.ofDelimiter(":").formatHex(mac); }
}
