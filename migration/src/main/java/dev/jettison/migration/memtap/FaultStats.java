package dev.jettison.migration.memtap;

/**
 * What memtap did in one consolidation so far.
 *
 * @param faults         first touches of a page by the guest (each page counted once)
 * @param remoteFaults   first touches that had to wait for the desktop (a network round trip)
 * @param bufferHits     first touches served from the prefetch buffer (§3.4), no round trip
 * @param demandPages    pages received because the guest asked for them
 * @param prefetchedPages pages received by the pivot window, ahead of any touch
 * @param zeroPages      received pages that were all zeros (filled with UFFDIO_ZEROPAGE when touched)
 * @param demandBytes    page data received for demand requests (zero pages count 0)
 * @param prefetchBytes  page data received for prefetch requests
 * @param prefetchWasted prefetched pages dropped because the buffer evicted them before they were touched
 * @param filledPages    pages committed to guest memory: the partial VM's resident working set
 * @param bufferedPages  pages waiting in the prefetch buffer now
 * @param requests       page requests sent (demand and prefetch runs)
 * @param reconnects     connections made to the desktop (1 when it never failed)
 * @param p50Nanos       remote-fault service time, fault read to page filled, median
 * @param p99Nanos       the same, 99th percentile
 * @param maxNanos       the same, worst
 */
public record FaultStats(long faults, long remoteFaults, long bufferHits, long demandPages, long prefetchedPages,
                         long zeroPages, long demandBytes, long prefetchBytes, long prefetchWasted, long filledPages,
                         long bufferedPages, long requests, long reconnects,
                         long p50Nanos, long p99Nanos, long maxNanos) {

    /** Bytes moved to the server so far (page data only; zero pages cost a marker). */
    public long bytesFetched() {
        return demandBytes + prefetchBytes;
    }
}
