package dev.jettison.cli.sim;

import java.io.PrintStream;

/** A one-line progress bar on stderr for long runs; redraws only when the percentage changes. */
final class ProgressBar {
    private final PrintStream err;
    private final String label;
    private int shown = -1;

    ProgressBar(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    synchronized void update(double fraction) {
        int pct = (int) Math.floor(100 * Math.min(1, Math.max(0, fraction)));
        if (pct == shown) return;
        shown = pct;
        int filled = pct * 30 / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + pct + "%");
        if (pct == 100) err.println();
        err.flush();
    }
}
