package dev.jettison.core.prefetch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pages a VM demanded in its earlier consolidations, for hoarding (§3.4). Pages asked for in
 * more consolidations rank first, then the most recently asked for; the ranking is deterministic.
 */
public final class HoardHistory {
    /** Pages remembered at most; beyond this the least useful are forgotten so history stays bounded. */
    public static final int DEFAULT_MAX_PAGES = 1 << 20;

    private record Seen(int consolidations, int lastConsolidation) {
    }

    /**
     * One remembered page, for storing the history between consolidations.
     *
     * @param consolidations    in how many consolidations the VM asked for it
     * @param lastConsolidation the latest of them (1-based)
     */
    public record Entry(long page, int consolidations, int lastConsolidation) {
        public Entry {
            if (page < 0) throw new IllegalArgumentException("negative page " + page);
            if (consolidations < 1 || lastConsolidation < 1) {
                throw new IllegalArgumentException("page " + page + ": consolidation counts must be >= 1");
            }
        }
    }

    private final int maxPages;
    private final Map<Long, Seen> pages = new HashMap<>();
    private int consolidation;

    public HoardHistory() {
        this(DEFAULT_MAX_PAGES);
    }

    public HoardHistory(int maxPages) {
        this.maxPages = maxPages;
    }

    /**
     * A history as stored earlier: {@code consolidations} finished, with these pages.
     *
     * @throws IllegalArgumentException if an entry claims more consolidations than there were
     */
    public static HoardHistory restore(int consolidations, List<Entry> entries, int maxPages) {
        var h = new HoardHistory(maxPages);
        h.consolidation = consolidations;
        for (var e : entries) {
            if (e.consolidations() > consolidations || e.lastConsolidation() > consolidations) {
                throw new IllegalArgumentException("page " + e.page() + " seen in " + e.consolidations()
                        + " consolidations (last " + e.lastConsolidation() + ") but only " + consolidations + " happened");
            }
            h.pages.put(e.page(), new Seen(e.consolidations(), e.lastConsolidation()));
        }
        return h;
    }

    /** Every remembered page, by page number. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(pages.size());
        pages.forEach((p, s) -> out.add(new Entry(p, s.consolidations, s.lastConsolidation)));
        out.sort(java.util.Comparator.comparingLong(Entry::page));
        return out;
    }

    public int consolidations() {
        return consolidation;
    }

    /** Records the pages a finished consolidation demanded (each page once per consolidation). */
    public void recordConsolidation(Iterable<Long> demandedPages) {
        consolidation++;
        for (long p : demandedPages) {
            Seen s = pages.get(p);
            if (s == null) pages.put(p, new Seen(1, consolidation));
            else if (s.lastConsolidation != consolidation) pages.put(p, new Seen(s.consolidations + 1, consolidation));
        }
        if (pages.size() > maxPages) {
            List<Long> keep = ranked(maxPages);
            Map<Long, Seen> kept = new HashMap<>();
            for (long p : keep) kept.put(p, pages.get(p));
            pages.clear();
            pages.putAll(kept);
        }
    }

    /** Up to {@code limit} pages to hoard, best first. */
    public List<Long> ranked(long limit) {
        List<Map.Entry<Long, Seen>> all = new ArrayList<>(pages.entrySet());
        all.sort((a, b) -> {
            int c = Integer.compare(b.getValue().consolidations, a.getValue().consolidations);
            if (c != 0) return c;
            c = Integer.compare(b.getValue().lastConsolidation, a.getValue().lastConsolidation);
            return c != 0 ? c : Long.compare(a.getKey(), b.getKey());
        });
        List<Long> out = new ArrayList<>((int) Math.min(limit, all.size()));
        for (int i = 0; i < all.size() && i < limit; i++) out.add(all.get(i).getKey());
        return out;
    }
}
