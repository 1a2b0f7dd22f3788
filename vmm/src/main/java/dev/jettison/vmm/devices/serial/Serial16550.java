package dev.jettison.vmm.devices.serial;

import dev.jettison.vmm.devices.InterruptLine;
import dev.jettison.vmm.devices.IoDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 16550A UART (COM1 at 0x3F8, IRQ 4). Transmission is instantaneous: a byte written to THR
 * goes straight to the console sink, so THR is always empty again by the time the guest looks.
 * Input injected by the VMM waits in a backlog and moves into the 16-byte receive FIFO as the
 * guest drains it, so nothing the VMM types is lost to an overrun.
 *
 * <p>The interrupt output follows the chip: it is high while any enabled interrupt condition
 * holds and is driven with {@link InterruptLine#set}, so the interrupt controller sees an edge
 * each time a condition appears.
 */
public final class Serial16550 implements IoDevice {
    private static final Logger LOG = LoggerFactory.getLogger(Serial16550.class);

    public static final int COM1_BASE = 0x3F8, COM1_IRQ = 4, PORT_COUNT = 8;
    static final int FIFO_SIZE = 16;
    /** Backlog bound: input beyond this is dropped (and logged), like a terminal flooding a real line. */
    static final int MAX_BACKLOG = 1 << 20;

    // Register offsets.
    static final int RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    static final int IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
    static final int IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06,
            IIR_FIFO_ENABLED = 0xC0;
    static final int FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
    static final int LCR_DLAB = 0x80;
    static final int MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    static final int MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
            MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
    /** Not in loopback the far end looks connected: carrier, data set ready, clear to send. */
    static final int MSR_CONNECTED = MSR_DCD | MSR_DSR | MSR_CTS;

    /** Everything the guest can observe, for the migration descriptor. */
    public record State(int ier, int lcr, int mcr, int fcr, int scr, int divisor, int msr, boolean overrun,
                        boolean thrInterruptPending, byte[] rxFifo, byte[] backlog) {
        public State {
            rxFifo = rxFifo.clone();
            backlog = backlog.clone();
        }

        @Override
        public byte[] rxFifo() { return rxFifo.clone(); }

        @Override
        public byte[] backlog() { return backlog.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && ier == s.ier && lcr == s.lcr && mcr == s.mcr && fcr == s.fcr
                    && scr == s.scr && divisor == s.divisor && msr == s.msr && overrun == s.overrun
                    && thrInterruptPending == s.thrInterruptPending
                    && Arrays.equals(rxFifo, s.rxFifo) && Arrays.equals(backlog, s.backlog);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ier, lcr, mcr, fcr, scr, divisor, msr, overrun, thrInterruptPending,
                    Arrays.hashCode(rxFifo), Arrays.hashCode(backlog));
        }
    }

    private final ConsoleSink sink;
    private final InterruptLine irq;

    private int ier, lcr, mcr, fcr, scr;
    /** 115200 baud at the 1.8432 MHz reference clock, what firmware would leave behind. */
    private int divisor = 1;
    private int msr = MSR_CONNECTED;
    private boolean overrun;
    private boolean thrInterruptPending;
    private final ArrayDeque<Byte> rxFifo = new ArrayDeque<>();
    private final ArrayDeque<Byte> backlog = new ArrayDeque<>();
    private boolean irqLevel;
    private boolean reportedDrop;

    public Serial16550(ConsoleSink sink, InterruptLine irq) {
        this.sink = sink;
        this.irq = irq;
    }

    /** Queues input for the guest, as if typed on the far end of the line. */
    public synchronized void inject(byte[] data) {
        for (byte b : data) {
            if (backlog.size() >= MAX_BACKLOG) {
                if (!reportedDrop) {
                    reportedDrop = true;
                    LOG.warn("serial input backlog full ({} bytes): guest is not reading; dropping input", MAX_BACKLOG);
                }
                break;
            }
            backlog.add(b);
        }
        refillFifo();
        updateIrq();
    }

    @Override
    public synchronized int read(int offset, int size) {
        int v = switch (offset) {
            case RBR_THR_DLL -> dlab() ? divisor & 0xFF : readRbr();
            case IER_DLM -> dlab() ? (divisor >> 8) & 0xFF : ier;
            case IIR_FCR -> readIir();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> readLsr();
            case MSR -> readMsr();
            case SCR -> scr;
            default -> 0xFF;
        };
        updateIrq();
        // Wider accesses are not meaningful on an 8-bit chip; the other bytes float high.
        return size == 1 ? v : v | (int) (((1L << (8 * size)) - 1) & ~0xFFL);
    }

    @Override
    public synchronized void write(int offset, int size, int value) {
        int v = value & 0xFF;
        switch (offset) {
            case RBR_THR_DLL -> {
                if (dlab()) divisor = (divisor & 0xFF00) | v;
                else writeThr((byte) v);
            }
            case IER_DLM -> {
                if (dlab()) {
                    divisor = (divisor & 0x00FF) | (v << 8);
                } else {
                    int old = ier;
                    ier = v & 0x0F;
                    // Enabling the THR interrupt while THR is empty raises it at once (8250 behaviour Linux relies on).
                    if ((ier & IER_THRI) != 0 && (old & IER_THRI) == 0) thrInterruptPending = true;
                }
            }
            case IIR_FCR -> writeFcr(v);
            case LCR -> lcr = v;
            case MCR -> writeMcr(v & 0x1F);
            case LSR -> { } // read-only; factory-test writes are ignored
            case MSR -> { }
            case SCR -> scr = v;
            default -> { }
        }
        updateIrq();
    }

    private boolean dlab() { return (lcr & LCR_DLAB) != 0; }

    private int readRbr() {
        Byte b = rxFifo.poll();
        refillFifo();
        return b == null ? 0 : b & 0xFF;
    }

    private void writeThr(byte b) {
        if ((mcr & MCR_LOOP) != 0) {
            receive(b);
        } else {
            try {
                sink.accept(b);
            } catch (RuntimeException e) {
                LOG.warn("console sink failed; byte dropped", e);
            }
        }
        thrInterruptPending = true;
    }

    /** A byte arrives on the line (loopback): it goes behind what is already waiting. */
    private void receive(byte b) {
        if (rxFifo.size() >= fifoCapacity()) {
            overrun = true;
            return;
        }
        rxFifo.add(b);
    }

    private int fifoCapacity() { return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1; }

    private void refillFifo() {
        while (rxFifo.size() < fifoCapacity() && !backlog.isEmpty()) rxFifo.add(backlog.poll());
    }

    private int readIir() {
        int id = pendingInterrupt();
        // Reading IIR acknowledges a THR-empty interrupt when that is what it reports.
        if (id == IIR_THRI) thrInterruptPending = false;
        return id | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFO_ENABLED : 0);
    }

    /** The highest-priority enabled interrupt, per the 16550 priority order. */
    private int pendingInterrupt() {
        if ((ier & IER_RLSI) != 0 && overrun) return IIR_RLSI;
        if ((ier & IER_RDI) != 0 && !rxFifo.isEmpty()) return IIR_RDI;
        if ((ier & IER_THRI) != 0 && thrInterruptPending) return IIR_THRI;
        if ((ier & IER_MSI) != 0 && (msr & 0x0F) != 0) return IIR_MSI;
        return IIR_NO_INT;
    }

    private int readLsr() {
        int v = LSR_THRE | LSR_TEMT;
        if (!rxFifo.isEmpty()) v |= LSR_DR;
        if (overrun) v |= LSR_OE;
        overrun = false;
        return v;
    }

    private int readMsr() {
        int v = msr;
        msr &= 0xF0;
        return v;
    }

    private void writeFcr(int v) {
        int old = fcr;
        fcr = v & 0xC9; // enable, DMA mode, trigger level; the clear bits are self-clearing
        if ((v & FCR_CLEAR_RX) != 0 || ((old ^ v) & FCR_ENABLE) != 0) rxFifo.clear();
        refillFifo();
    }

    private void writeMcr(int v) {
        mcr = v;
        int lines = (mcr & MCR_LOOP) != 0
                ? ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0) | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                  | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0) | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0)
                : MSR_CONNECTED;
        int changed = (msr ^ lines) & 0xF0;
        int delta = msr & 0x0F;
        if ((changed & MSR_CTS) != 0) delta |= MSR_DCTS;
        if ((changed & MSR_DSR) != 0) delta |= MSR_DDSR;
        if ((changed & MSR_RI) != 0 && (lines & MSR_RI) == 0) delta |= MSR_TERI;
        if ((changed & MSR_DCD) != 0) delta |= MSR_DDCD;
        msr = lines | delta;
    }

    private void updateIrq() {
        boolean level = pendingInterrupt() != IIR_NO_INT;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    public synchronized State snapshot() {
        byte[] fifo = new byte[rxFifo.size()];
        int i = 0;
        for (Byte b : rxFifo) fifo[i++] = b;
        byte[] back = new byte[backlog.size()];
        i = 0;
        for (Byte b : backlog) back[i++] = b;
        return new State(ier, lcr, mcr, fcr, scr, divisor, msr, overrun, thrInterruptPending, fifo, back);
    }

    public synchronized void restore(State s) {
        ier = s.ier() & 0x0F;
        lcr = s.lcr() & 0xFF;
        mcr = s.mcr() & 0x1F;
        fcr = s.fcr() & 0xC9;
        scr = s.scr() & 0xFF;
        divisor = s.divisor() & 0xFFFF;
        msr = s.msr() & 0xFF;
        overrun = s.overrun();
        thrInterruptPending = s.thrInterruptPending();
        rxFifo.clear();
        for (byte b : s.rxFifo()) rxFifo.add(b);
        backlog.clear();
        for (byte b : s.backlog()) backlog.add(b);
        // Drive the line explicitly: this instance's previous level says nothing about the restored one.
        irqLevel = pendingInterrupt() != IIR_NO_INT;
        irq.set(irqLevel);
    }
}
