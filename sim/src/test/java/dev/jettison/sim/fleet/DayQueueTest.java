package dev.jettison.sim.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bucketed day queue is an exact reformulation of the event heap: same pops, in the same order. */
class DayQueueTest {
    private static final double DAY = 86_400;

    @Test
    void popsTheSameSequenceAsTheHeap() {
        for (long seed = 1; seed <= 20; seed++) {
            var rng = new SplittableRandom(seed);
            int n = 1 + rng.nextInt(600);
            var heap = new EventHeap(n);
            var queue = new DayQueue(n, DAY);
            for (int id = 0; id < n; id++) {
                double t = time(rng, 0);
                heap.set(id, t);
                queue.set(id, t);
            }
            double now = 0;
            for (int step = 0; step < 20_000 && !heap.isEmpty(); step++) {
                assertEquals(heap.peekKey(), queue.peekKey(), "seed " + seed + " step " + step);
                assertEquals(heap.peek(), queue.peek(), "seed " + seed + " step " + step);
                int id = heap.peek();
                now = heap.peekKey();
                // As the simulator does: the head moves later (often onto a 5 s slot, sometimes to the same time) or
                // leaves; now and then another id is moved anywhere, even earlier or into the past.
                int r = rng.nextInt(20);
                int who = r == 0 ? rng.nextInt(n) : id;
                double t = r == 1 ? Double.POSITIVE_INFINITY : r == 2 ? now : r == 3 ? time(rng, -1000) : time(rng, now);
                heap.set(who, t);
                queue.set(who, t);
            }
            assertEquals(heap.peekKey(), queue.peekKey());
        }
    }

    /** Mostly whole 5 s slots, some with a timeout that is not, some past midnight, ties frequent. */
    private static double time(SplittableRandom rng, double from) {
        double slot = Math.floor(Math.max(0, from) / 5) * 5 + 5 * rng.nextInt(400);
        return switch (rng.nextInt(4)) {
            case 0 -> slot + 300;
            case 1 -> slot + 123.456;
            case 2 -> DAY + rng.nextDouble() * 600;
            default -> from < 0 ? from + rng.nextDouble() * 900 : slot;
        };
    }
}
