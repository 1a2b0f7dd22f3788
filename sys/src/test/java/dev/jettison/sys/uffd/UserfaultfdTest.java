package dev.jettison.sys.uffd;

import dev.jettison.sys.MappedRegion;
import dev.jettison.sys.Poll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The memtap mechanism without KVM: a thread touching an unpopulated page of a registered
 * region stops until another thread fills it; the filler sees exactly which page and whether
 * it was a write.
 */
class UserfaultfdTest {
    private static final long PAGE = 4096;

    static boolean rootOrUnprivilegedAllowed() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void faultingReaderIsResumedWithTheCopiedPageAndZeroPagesReadZero() throws Exception {
        assumeTrue(rootOrUnprivilegedAllowed(), "userfaultfd needs root here (vm.unprivileged_userfaultfd=0)");
        try (var ram = MappedRegion.anonymous(64 * PAGE, "uffd test");
             var uffd = Userfaultfd.open();
             var poll = new Poll(uffd.fd().get());
             var arena = Arena.ofShared()) {
            uffd.register(ram.segment());
            var source = arena.allocate(PAGE, PAGE);
            for (int i = 0; i < PAGE; i += 8) source.set(ValueLayout.JAVA_LONG, i, 0xC0FFEE00L + i);

            var read = new CompletableFuture<Long>();
            Thread.ofPlatform().start(() -> read.complete(ram.segment().get(ValueLayout.JAVA_LONG, 5 * PAGE + 64)));
            assertTrue(poll.await(5000), "no fault event arrived");
            var fault = uffd.readFault().orElseThrow();
            assertEquals(ram.address() + 5 * PAGE, fault.address() & ~(PAGE - 1));
            assertFalse(fault.write());
            assertTrue(uffd.copy(ram.address() + 5 * PAGE, source, PAGE));
            assertEquals(0xC0FFEE00L + 64, read.get(5, TimeUnit.SECONDS));
            assertFalse(uffd.copy(ram.address() + 5 * PAGE, source, PAGE), "second fill must report EEXIST");

            var write = new CompletableFuture<Void>();
            Thread.ofPlatform().start(() -> {
                ram.segment().set(ValueLayout.JAVA_LONG, 9 * PAGE, 7L);
                write.complete(null);
            });
            assertTrue(poll.await(5000));
            var wf = uffd.readFault().orElseThrow();
            assertEquals(ram.address() + 9 * PAGE, wf.address() & ~(PAGE - 1));
            assertTrue(wf.write());
            uffd.zeroPage(ram.address() + 9 * PAGE, PAGE);
            write.get(5, TimeUnit.SECONDS);
            assertEquals(7L, ram.segment().get(ValueLayout.JAVA_LONG, 9 * PAGE));
            assertEquals(0L, ram.segment().get(ValueLayout.JAVA_LONG, 9 * PAGE + 8));
            assertTrue(uffd.readFault().isEmpty());
        }
    }
}
