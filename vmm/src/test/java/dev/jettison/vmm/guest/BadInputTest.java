package dev.jettison.vmm.guest;

import dev.jettison.vmm.VirtualMachine;
import dev.jettison.vmm.VmConfig;
import dev.jettison.vmm.boot.InvalidKernelException;
import dev.jettison.vmm.kvm.Kvm;
import dev.jettison.vmm.kvm.KvmUnavailableException;
import dev.jettison.vmm.memory.HostMemory;
import dev.jettison.vmm.memory.MemoryLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs are refused with a message naming what is wrong, before any KVM resource is used. */
class BadInputTest {
    @Test
    void missingKernelFile() {
        var e = assertThrows(InvalidKernelException.class,
                () -> VirtualMachine.create(VmConfig.of(Path.of("/nonexistent/bzImage"), 64 * MemoryLayout.MIB)));
        assertTrue(e.getMessage().contains("/nonexistent/bzImage does not exist"), e.getMessage());
    }

    @Test
    void nonBzImageKernel(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("notakernel");
        Files.write(junk, new byte[8192]);
        var e = assertThrows(InvalidKernelException.class,
                () -> VirtualMachine.create(VmConfig.of(junk, 64 * MemoryLayout.MIB)));
        assertTrue(e.getMessage().contains("not a bzImage"), e.getMessage());
    }

    @Test
    void memoryBeyondWhatAGuestOrThisHostCanHave() {
        var e = assertThrows(IllegalArgumentException.class, () -> VmConfig.of(Path.of("k"), 32 * MemoryLayout.GIB));
        assertTrue(e.getMessage().contains("16 GiB"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> HostMemory.checkFits(1L << 50));
        assertTrue(e2.getMessage().contains("exceeds this host"), e2.getMessage());
    }

    @Test
    void diskImageThatCannotBeOpened(@TempDir Path dir) throws IOException {
        Path kernel = dir.resolve("bzImage");
        Files.write(kernel, dev.jettison.vmm.boot.BzImageTestSupport.minimalImage());
        var cfg = VmConfig.of(kernel, 64 * MemoryLayout.MIB).withDisk(dir.resolve("missing.img"), false);
        var e = assertThrows(IOException.class, () -> VirtualMachine.create(cfg));
        assertTrue(e.getMessage().contains("missing.img does not exist"), e.getMessage());
    }

    @Test
    void missingKvmIsReportedWithWhatToDo() {
        var e = assertThrows(KvmUnavailableException.class, () -> Kvm.open(Path.of("/nonexistent/kvm")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("kvm_intel"), e.getMessage());
    }
}
