package dev.jettison.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest {
    @Test
    void failedOpenNamesTheCallThePathAndTheErrnoText() {
        var e = assertThrows(SysException.class,
                () -> Libc.open("/nonexistent/jettison-test", Libc.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open", e.call());
        assertTrue(e.getMessage().contains("/nonexistent/jettison-test"), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void preadAndPwriteRoundTripThroughAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        try (var fd = Fd.open(file.toString(), Libc.O_RDWR | Libc.O_CREAT, 0600); var arena = Arena.ofConfined()) {
            var out = arena.allocateFrom(ValueLayout.JAVA_BYTE, "jettison".getBytes());
            assertEquals(8, Libc.pwrite(fd.get(), out, 8, 4096));
            var in = arena.allocate(8);
            assertEquals(8, Libc.pread(fd.get(), in, 8, 4096));
            assertEquals("jettison", new String(in.toArray(ValueLayout.JAVA_BYTE)));
        }
        assertEquals(4104, Files.size(file));
    }

    @Test
    void closedFdRefusesUseInsteadOfReachingAReusedNumber() {
        var fd = new Fd(Libc.eventfd(0, 0), "eventfd");
        fd.close();
        fd.close(); // second close is harmless
        assertThrows(IllegalStateException.class, fd::get);
    }

    @Test
    void noReserveMappingOfSixteenGibCostsNothingUntilTouched() {
        try (var region = MappedRegion.anonymous(16L << 30, "test RAM")) {
            region.segment().set(ValueLayout.JAVA_LONG, (8L << 30), 0x1234L);
            assertEquals(0x1234L, region.segment().get(ValueLayout.JAVA_LONG, 8L << 30));
            assertEquals(0L, region.segment().get(ValueLayout.JAVA_LONG, 15L << 30));
            region.discard(8L << 30, 4096);
            assertEquals(0L, region.segment().get(ValueLayout.JAVA_LONG, 8L << 30));
        }
    }

    @Test
    void residencyCountsOnlyTouchedPages() {
        try (var region = MappedRegion.anonymous(64L << 20, "residency")) {
            assertEquals(0, Residency.residentBytes(region.segment()));
            for (int p = 0; p < 10; p++) region.segment().set(ValueLayout.JAVA_BYTE, p * 4096L * 3, (byte) 1);
            assertEquals(10 * 4096, Residency.residentBytes(region.segment()));
        }
    }

    @Test
    void eventFdWakesAPoll() {
        try (var ev = new EventFd(); var poll = new Poll(ev.fd().get())) {
            assertTrue(!poll.await(0));
            ev.signal();
            assertTrue(poll.await(1000));
            assertTrue(poll.ready(0));
            assertEquals(1, ev.drain());
        }
    }
}
