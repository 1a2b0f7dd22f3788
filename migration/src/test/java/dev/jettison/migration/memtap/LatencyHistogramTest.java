package dev.jettison.migration.memtap;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LatencyHistogramTest {
    @Test
    void quantilesAreWithinOnePercentOfTheExactOnes() {
        var h = new LatencyHistogram();
        Random r = new Random(1);
        long[] v = new long[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(r.nextDouble() * 20); // 1 ns .. ~0.5 s, log-uniform
            h.record(v[i]);
        }
        Arrays.sort(v);
        for (double q : new double[]{0.01, 0.5, 0.9, 0.99, 0.999}) {
            long exact = v[(int) Math.ceil(q * v.length) - 1];
            long got = h.quantileNanos(q);
            assertTrue(got >= exact && got <= exact + exact / 50 + 1, "q" + q + ": " + got + " vs " + exact);
        }
        assertEquals(v[v.length - 1], h.maxNanos());
        assertEquals(v[v.length - 1], h.quantileNanos(1.0));
    }

    @Test
    void bucketsCoverTheWholeRangeInOrder() {
        long prev = -1;
        for (long x : new long[]{0, 1, 63, 64, 65, 127, 128, 129, 1000, 1L << 40, Long.MAX_VALUE}) {
            int i = LatencyHistogram.index(x);
            assertTrue(LatencyHistogram.upperBound(i) >= x, "upper bound of " + x);
            assertTrue(i >= prev);
            prev = i;
        }
        assertEquals(0, new LatencyHistogram().quantileNanos(0.5));
    }
}
