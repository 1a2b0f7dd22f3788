package dev.jettison.cli.bench;

import java.util.Map;

/**
 * The figures of one QEMU migration from {@code query-migrate}: status, total time and
 * downtime (ms, as QEMU measures them on the source), RAM bytes sent, and pages sent as zero
 * ("duplicate") or in full ("normal").
 */
record QemuMigrationStats(String status, long totalTimeMs, long downtimeMs, long setupTimeMs, long ramTransferred,
                          long zeroPages, long normalPages, long postcopyRequests, String error) {

    static QemuMigrationStats parse(Map<String, Object> reply) {
        return new QemuMigrationStats(String.valueOf(reply.getOrDefault("status", "none")),
                Json.number(reply, "total-time"), Json.number(reply, "downtime"), Json.number(reply, "setup-time"),
                Json.number(reply, "ram.transferred"), Json.number(reply, "ram.duplicate"),
                Json.number(reply, "ram.normal"), Json.number(reply, "ram.postcopy-requests"),
                reply.get("error-desc") instanceof String s ? s : null);
    }

    boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    boolean completed() {
        return status.equals("completed");
    }
}
