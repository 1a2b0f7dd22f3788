package dev.jettison.migration.partial;

/** What one consolidation moved and how long it took (paper §5.3–5.4 report the same figures). */
public record MigrationReport(String vmId, long descriptorBytes, long consolidationMillis,
                              long reintegrationMillis, long pagesFetched, long zeroPages, long prefetchedPages,
                              long blocksFetched, long dirtyPagesBack, long dirtyBlocksBack,
                              double faultP50Micros, double faultP99Micros, long serverRssBytes) {
    public long bytesToServer() {
        return descriptorBytes + (pagesFetched + prefetchedPages) * 4096 + blocksFetched * 4096;
    }

    public long bytesToDesktop() {
        return descriptorBytes + (dirtyPagesBack + dirtyBlocksBack) * 4096;
    }

    public String summary() {
        return String.format("""
                VM %s
                  descriptor            %,d bytes
                  consolidation         %,d ms
                  reintegration         %,d ms
                  pages fetched         %,d demand + %,d prefetched (%,d zero)
                  blocks fetched        %,d
                  dirty back            %,d pages, %,d blocks
                  remote fault service  p50 %.0f us, p99 %.0f us
                  server RSS for the VM %,d KiB
                  to server %,d KiB, back to desktop %,d KiB""",
                vmId, descriptorBytes, consolidationMillis, reintegrationMillis, pagesFetched, prefetchedPages,
                zeroPages, blocksFetched, dirtyPagesBack, dirtyBlocksBack, faultP50Micros, faultP99Micros,
                serverRssBytes / 1024, bytesToServer() / 1024, bytesToDesktop() / 1024);
    }
}
