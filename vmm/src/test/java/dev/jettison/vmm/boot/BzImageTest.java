package dev.jettison.vmm.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BzImageTest {
    /** A minimal well-formed 64-bit bzImage: 2 setup sectors + 1 boot sector, then a payload. */
    static byte[] image(int payloadBytes) {
        int setup = 3 * 512;
        byte[] b = new byte[setup + payloadBytes];
        var bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        b[BzImage.SETUP_SECTS] = 2;
        bb.putShort(BzImage.BOOT_FLAG, (short) 0xAA55);
        b[BzImage.JUMP] = (byte) 0xEB;
        b[BzImage.JUMP + 1] = 0x66;
        bb.putInt(BzImage.HEADER_MAGIC, 0x53726448);
        bb.putShort(BzImage.VERSION, (short) 0x020F);
        b[BzImage.LOADFLAGS] = BzImage.LOADED_HIGH;
        bb.putInt(BzImage.CODE32_START, 0x100000);
        bb.putShort(BzImage.XLOADFLAGS, (short) BzImage.XLF_KERNEL_64);
        bb.putInt(BzImage.CMDLINE_SIZE, 2047);
        bb.putInt(BzImage.INIT_SIZE, payloadBytes + 4096);
        for (int i = 0; i < payloadBytes; i++) b[setup + i] = (byte) (i * 7 + 1);
        return b;
    }

    static BzImage parse(byte[] b) { return BzImage.parse(Path.of("test.bzImage"), b); }

    @Test
    void wellFormedImageYieldsItsProtectedModePartAndHeader() {
        byte[] b = image(8192);
        var k = parse(b);
        assertEquals(0x020F, k.protocol());
        assertEquals(8192, k.protectedModePart().length);
        assertEquals(1, k.protectedModePart()[0]);
        assertEquals(8192 + 4096, k.initSize());
        byte[] header = k.setupHeader();
        assertEquals(2, header[0]); // setup_sects at 0x1f1
        assertEquals((byte) 0x48, header[0x202 - 0x1F1]); // 'H' of HdrS
    }

    @Test
    void missingFileIsNamed() {
        var e = assertThrows(InvalidKernelException.class, () -> BzImage.load(Path.of("/nonexistent/vmlinuz")));
        assertTrue(e.getMessage().contains("/nonexistent/vmlinuz does not exist"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRejected() {
        var e = assertThrows(InvalidKernelException.class, () -> parse(new byte[300]));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    @Test
    void elfFileGetsAHintToUseTheBzImage() {
        byte[] b = new byte[4096];
        b[0] = 0x7F; b[1] = 'E'; b[2] = 'L'; b[3] = 'F';
        var e = assertThrows(InvalidKernelException.class, () -> parse(b));
        assertTrue(e.getMessage().contains("0xAA55") && e.getMessage().contains("ELF"), e.getMessage());
    }

    @Test
    void missingHdrSMagicIsRejected() {
        byte[] b = image(4096);
        b[BzImage.HEADER_MAGIC] = 0;
        var e = assertThrows(InvalidKernelException.class, () -> parse(b));
        assertTrue(e.getMessage().contains("HdrS"), e.getMessage());
    }

    @Test
    void oldProtocolIsRejectedWithItsVersion() {
        byte[] b = image(4096);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(BzImage.VERSION, (short) 0x020A);
        var e = assertThrows(InvalidKernelException.class, () -> parse(b));
        assertTrue(e.getMessage().contains("2.10") && e.getMessage().contains("2.12"), e.getMessage());
    }

    @Test
    void kernelWithoutSixtyFourBitEntryIsRejected() {
        byte[] b = image(4096);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(BzImage.XLOADFLAGS, (short) 0);
        var e = assertThrows(InvalidKernelException.class, () -> parse(b));
        assertTrue(e.getMessage().contains("XLF_KERNEL_64"), e.getMessage());
    }

    @Test
    void truncatedPayloadIsRejected() {
        byte[] full = image(4096);
        byte[] cut = java.util.Arrays.copyOf(full, 3 * 512 + 100);
        var e = assertThrows(InvalidKernelException.class, () -> parse(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void protectedModePartIsCopiedVerbatim() {
        byte[] b = image(1000);
        assertArrayEquals(java.util.Arrays.copyOfRange(b, 1536, b.length), parse(b).protectedModePart());
    }
}
