package dev.jettison.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The figures of one QEMU migration from {@code query-migrate}: status, total time and
 * downtime (ms, as QEMU measures them on the source), RAM bytes sent, and pages sent as zero
 * ("duplicate") or in full ("normal").
 */
record QemuMigrationStats(String status, long totalTimeMs, long downtimeMs, long setupTimeMs, long ramTransferred,
                          long zeroPages, long normalPages, long postcopyRequests, String error) {

    static QemuMigrationStats parse(JsonNode reply) {
        return new QemuMigrationStats(reply.path("status").asText("none"),
                number(reply, "/total-time"), number(reply, "/downtime"), number(reply, "/setup-time"),
                number(reply, "/ram/transferred"), number(reply, "/ram/duplicate"),
                number(reply, "/ram/normal"), number(reply, "/ram/postcopy-requests"),
                reply.path("error-desc").isTextual() ? reply.get("error-desc").asText() : null);
    }

    /** The number at {@code pointer}, or -1 where QEMU did not report it (yet). */
    private static long number(JsonNode reply, String pointer) {
        var n = reply.at(pointer);
        return n.isNumber() ? n.asLong() : -1;
    }

    boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    boolean completed() {
        return status.equals("completed");
    }
}
