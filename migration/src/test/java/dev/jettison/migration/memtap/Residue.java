package dev.jettison.migration.memtap;

import dev.jettison.migration.memserv.GuestPages;
import dev.jettison.sys.MappedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.function.LongPredicate;

/** The desktop side of a test: a RAM image with a seeded pattern, some pages left all-zero. */
final class Residue implements AutoCloseable {
    static final int PAGE = 4096;
    final MappedRegion region;
    final GuestPages pages;
    long zeroPages;

    /** Fills the pages {@code filled} accepts with seeded bytes, except every 7th page, which stays zero. */
    Residue(long bytes, long seed, LongPredicate filled) {
        region = MappedRegion.anonymous(bytes, "test residue");
        pages = GuestPages.of(region.segment());
        Random r = new Random(seed);
        byte[] buf = new byte[PAGE];
        for (long p = 0; p < pages.pageCount(); p++) {
            if (!filled.test(p) || p % 7 == 3) {
                zeroPages++;
                continue;
            }
            r.nextBytes(buf);
            buf[0] = 1; // never accidentally all-zero
            MemorySegment.copy(buf, 0, region.segment(), ValueLayout.JAVA_BYTE, p * PAGE, PAGE);
        }
    }

    Residue(long bytes, long seed) {
        this(bytes, seed, p -> true);
    }

    @Override
    public void close() {
        region.close();
    }
}
