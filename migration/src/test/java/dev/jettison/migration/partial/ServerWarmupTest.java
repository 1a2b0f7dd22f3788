package dev.jettison.migration.partial;

import dev.jettison.migration.memtap.FaultHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's warm-up runs the whole admission path on a VM shell and leaves no thread, fd or file behind. */
@Tag("kvm")
class ServerWarmupTest {
    @BeforeEach
    void kvm() {
        KvmGuests.require();
    }

    @Test
    void warmsTheAdmissionPathAndLeavesNothingBehind() throws Exception {
        ServerWarmup.runOrThrow(FaultHandler.Config.paperDefaults()); // the first run loads what stays loaded
        long fds = openFds();
        int threads = Thread.activeCount();
        ServerWarmup.runOrThrow(FaultHandler.Config.paperDefaults());
        Thread.sleep(500); // closed threads finish dying
        assertEquals(fds, openFds(), "file descriptors (VM, vCPUs, userfaultfd, sockets) all closed");
        assertEquals(threads, Thread.activeCount(), "vCPU and memtap threads all ended");
    }

    private static long openFds() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
