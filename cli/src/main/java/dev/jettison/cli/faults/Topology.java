package dev.jettison.cli.faults;

/**
 * The suite's two network namespaces as the runs inside see them. Ports are fixed: the
 * namespaces are the suite's own, and a desktop started again must serve where it served before.
 */
record Topology(String desktopNs, String serverNs, String desktopIf, String serverIf, String desktopIp, String serverIp,
                Blackhole blackhole) {
    static final int SERVER_PORT = 7800;
    static final int SERVER_HTTP_PORT = 7880;
    static final int DESKTOP_SERVE_PORT = 7701;
    static final int DESKTOP_CONTROL_PORT = 7700;

    String serverAddress() { return serverIp + ":" + SERVER_PORT; }

    String serverStatusUrl() { return "http://" + serverIp + ":" + SERVER_HTTP_PORT; }

    /** The desktop's control API is on its namespace's loopback, where the runs execute. */
    String desktopControlUrl() { return "http://127.0.0.1:" + DESKTOP_CONTROL_PORT; }
}
