package dev.jettison.vmm.kvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvmHostKindTest {
    @Test
    void onlyKvmPvmMeansPvm(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kvm"));
        Files.createDirectories(sys.resolve("kvm_pvm"));
        assertEquals(KvmHostKind.PVM, KvmHostKind.detect(sys));
        assertFalse(KvmHostKind.detect(sys).runsStockKernels());
    }

    @Test
    void aHardwareModuleWinsOverPvm(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kvm_pvm"));
        Files.createDirectories(sys.resolve("kvm_amd"));
        assertEquals(KvmHostKind.HARDWARE, KvmHostKind.detect(sys));
        assertTrue(KvmHostKind.detect(sys).runsStockKernels());
    }

    @Test
    void kvmIntelIsHardware(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kvm_intel"));
        assertEquals(KvmHostKind.HARDWARE, KvmHostKind.detect(sys));
    }
}
