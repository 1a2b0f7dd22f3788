package dev.jettison.vmm.devices.serial;

import java.io.PrintStream;

/** Copies console output to a stream (usually System.out when a user watches the guest). */
public final class PrintStreamConsoleSink implements ConsoleSink {
    private final PrintStream out;

    public PrintStreamConsoleSink(PrintStream out) { this.out = out; }

    @Override
    public void accept(byte b) {
        synchronized (out) {
            out.write(b);
            if (b == '\n') out.flush();
        }
    }
}
