package dev.jettison.vmm.devices.serial;

import dev.jettison.vmm.devices.TestMachine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Serial16550Test {
    private static final int THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TestMachine.RecordingLine irq = new TestMachine.RecordingLine();
    private final Serial16550 uart = new Serial16550(b -> out.write(b), irq);

    @Test
    void transmittedBytesReachTheSinkAndThrIsAlwaysEmpty() {
        assertEquals(0x60, uart.read(LSR, 1) & 0x61, "THRE and TEMT set, no data ready");
        for (byte b : "hi\n".getBytes()) uart.write(THR, 1, b);
        assertEquals("hi\n", out.toString(StandardCharsets.US_ASCII));
        assertEquals(0x60, uart.read(LSR, 1) & 0x61);
        assertFalse(irq.high(), "no interrupt without IER");
    }

    @Test
    void divisorLatchShadowsThrAndIerWhileDlabIsSet() {
        uart.write(IER, 1, 0x05);
        uart.write(LCR, 1, 0x83);
        uart.write(0, 1, 0x0C);
        uart.write(1, 1, 0x00);
        assertEquals(0x0C, uart.read(0, 1));
        assertEquals(0x00, uart.read(1, 1));
        assertEquals(0, out.size(), "divisor writes are not output");
        uart.write(LCR, 1, 0x03);
        assertEquals(0x05, uart.read(IER, 1), "IER untouched by the latch");
        assertEquals(0x03, uart.read(LCR, 1));
        uart.write(THR, 1, 'x');
        assertEquals("x", out.toString(StandardCharsets.US_ASCII));
        uart.write(SCR, 1, 0x5A);
        assertEquals(0x5A, uart.read(SCR, 1));
    }

    @Test
    void injectedInputIsReadableWithDataReadyAndRaisesTheReceiveInterrupt() {
        uart.write(FCR, 1, 0x07);
        assertEquals(0xC1, uart.read(IIR, 1), "16550A with FIFOs, nothing pending");
        uart.write(IER, 1, 0x01);
        assertFalse(irq.high());
        uart.inject("ab".getBytes());
        assertTrue(irq.high(), "receive interrupt raised");
        assertEquals(0xC4, uart.read(IIR, 1));
        assertEquals(1, uart.read(LSR, 1) & 1);
        assertEquals('a', uart.read(THR, 1));
        assertTrue(irq.high());
        assertEquals('b', uart.read(THR, 1));
        assertEquals(0, uart.read(LSR, 1) & 1);
        assertFalse(irq.high(), "line lowered once the FIFO is drained");
    }

    @Test
    void inputLongerThanTheFifoIsNotLost() {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        uart.write(FCR, 1, 0x01);
        uart.inject(data);
        byte[] got = new byte[100];
        for (int i = 0; i < got.length; i++) {
            assertEquals(1, uart.read(LSR, 1) & 1);
            got[i] = (byte) uart.read(THR, 1);
        }
        assertArrayEquals(data, got);
        assertEquals(0, uart.read(LSR, 1) & 0x03, "no data, no overrun");
    }

    @Test
    void thrEmptyInterruptRisesWhenEnabledAndClearsOnIirRead() {
        uart.write(IER, 1, 0x02);
        assertTrue(irq.high());
        assertEquals(0x02, uart.read(IIR, 1));
        assertFalse(irq.high());
        uart.write(THR, 1, 'z');
        assertTrue(irq.high(), "a transmitted byte empties THR again");
        assertEquals(2, irq.rises());
    }

    @Test
    void loopbackRoutesOutputToInputAndModemLinesToStatus() {
        uart.write(MCR, 1, 0x10 | 0x0A); // loop, RTS, OUT2: what Linux's probe does
        assertEquals(0x90, uart.read(MSR, 1) & 0xF0, "CTS and DCD follow RTS and OUT2");
        uart.write(THR, 1, 0x42);
        assertEquals(0, out.size());
        assertEquals(0x42, uart.read(THR, 1));
        uart.write(MCR, 1, 0);
        assertEquals(0xB0, uart.read(MSR, 1) & 0xF0, "outside loopback the line looks connected");
    }

    @Test
    void snapshotRoundTrips() {
        uart.write(LCR, 1, 0x80);
        uart.write(0, 1, 3);
        uart.write(LCR, 1, 0x03);
        uart.write(FCR, 1, 0x01);
        uart.write(IER, 1, 0x01);
        uart.write(SCR, 1, 0x77);
        uart.inject(new byte[40]);
        var state = uart.snapshot();
        var line = new TestMachine.RecordingLine();
        var copy = new Serial16550(ConsoleSink.discard(), line);
        copy.restore(state);
        assertEquals(state, copy.snapshot());
        assertTrue(line.high(), "restored pending receive interrupt drives the line");
        assertEquals(16, state.rxFifo().length);
        assertEquals(24, state.backlog().length);
    }

    @Test
    void lineCollectorSplitsAtLineFeedIgnoresCarriageReturnAndWaits() throws Exception {
        var lines = new LineCollector();
        var waiter = new Thread(() -> {
            for (byte b : "booting\r\njettison: ready\r\n".getBytes()) lines.accept(b);
        });
        waiter.start();
        assertEquals("jettison: ready", lines.awaitLine(l -> l.startsWith("jettison:"), Duration.ofSeconds(5)));
        waiter.join();
        assertEquals(java.util.List.of("booting", "jettison: ready"), lines.lines());
        assertThrows(TimeoutException.class, () -> lines.awaitLine(2, l -> true, Duration.ofMillis(50)));
        for (byte b : "partial".getBytes()) lines.accept(b);
        assertEquals(2, lines.lineCount(), "no line until LF");
    }

    @Test
    void fileSinkAppendsAndTeeFeedsEverySink(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("console.log");
        var lines = new LineCollector();
        try (var log = new FileConsoleSink(file)) {
            var sink = ConsoleSink.tee(log, lines);
            for (byte b : "one\ntwo\n".getBytes()) sink.accept(b);
        }
        assertEquals("one\ntwo\n", java.nio.file.Files.readString(file));
        assertEquals(java.util.List.of("one", "two"), lines.lines());
    }
}
