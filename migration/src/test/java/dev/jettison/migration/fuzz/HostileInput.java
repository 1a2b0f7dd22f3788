package dev.jettison.migration.fuzz;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every parser of outside input keeps (docs/security.md): an input either parses or
 * is refused with the parser's own exception, never anything else, within a time bound and
 * without allocating much more than the input itself.
 */
public final class HostileInput {
    /** No input here is larger than a few MiB: a parse must not take seconds. */
    public static final Duration TIME_BOUND = Duration.ofSeconds(5);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HostileInput() {}

    /**
     * Runs {@code parse}; returns its result, or null if it refused the input with {@code refusal}.
     * Fails the test on any other exception, if it ran past {@link #TIME_BOUND}, or if it allocated
     * more than {@code maxAllocBytes} on this thread.
     */
    public static <T> T parse(Callable<T> parse, Class<? extends Exception> refusal, long maxAllocBytes) {
        return parse(parse, refusal, maxAllocBytes, "");
    }

    /** {@link #parse}, and a refusal's message must name {@code mention} (the file it refuses). */
    public static <T> T parse(Callable<T> parse, Class<? extends Exception> refusal, long maxAllocBytes, String mention) {
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        T result = null;
        try {
            result = parse.call();
        } catch (Exception e) {
            if (!refusal.isInstance(e)) fail("unexpected " + e.getClass().getName() + ": " + e.getMessage(), e);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says what was wrong: " + e);
            assertTrue(e.getMessage().contains(mention), "a refusal names " + mention + ": " + e.getMessage());
        } catch (StackOverflowError | OutOfMemoryError e) {
            fail("the parser died: " + e, e);
        }
        long nanos = System.nanoTime() - t0;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
        assertTrue(nanos < TIME_BOUND.toNanos(), "parse took " + nanos / 1_000_000 + " ms");
        assertTrue(allocated <= maxAllocBytes, "parse allocated " + allocated + " bytes, bound " + maxAllocBytes);
        return result;
    }
}
