package dev.jettison.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on, so no emulated figure is ever read as a native one. */
public record HostInfo(boolean emulated, String label, String cpu, String kernel) {
    public static HostInfo detect() {
        String cpuinfo = read(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        boolean hypervisor = cpuinfo.lines().anyMatch(l -> l.startsWith("flags") && l.contains(" hypervisor"));
        return classify(dev.jettison.vmm.kvm.Kvm.inEmulatedHost(),
                hypervisor, model, System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    static HostInfo classify(boolean inKvmEmu, boolean hypervisorFlag, String cpu, String kernel) {
        String label = inKvmEmu
                ? "EMULATED KVM host (tools/kvm-emu: QEMU TCG with emulated AMD SVM; ~30x slower than native, not for absolute timing)"
                : hypervisorFlag ? "native KVM in a virtual machine (nested; CPU reports the hypervisor flag)" : "native KVM on bare metal";
        return new HostInfo(inKvmEmu, label, cpu, kernel);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
