package dev.jettison.cli.faults;

import java.io.IOException;

/** What a fault acts on: the two daemons and the link between them. */
public interface Target {
    void killServer() throws IOException, InterruptedException;

    /** Starts the server, again, with the arguments it was first started with. */
    void startServer() throws IOException, InterruptedException;

    /** kill -s NAME to the server (STOP, CONT). */
    void signalServer(String name) throws IOException, InterruptedException;

    void cutNetwork() throws IOException, InterruptedException;

    void restoreNetwork() throws IOException, InterruptedException;

    void killDesktop() throws IOException, InterruptedException;

    /** Starts the desktop daemon, again, with the arguments it was first started with. */
    void startDesktop() throws IOException, InterruptedException;
}
