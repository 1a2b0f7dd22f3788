package dev.jettison.vmm.kvm;

import dev.jettison.sys.Errno;
import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;
import dev.jettison.sys.SysException;
import dev.jettison.sys.kvm.KvmCpuStructs;
import dev.jettison.sys.kvm.KvmIoctl;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The open /dev/kvm: checks once that this host can run our VMs (API version and the
 * capabilities we rely on) and creates VMs.
 */
public final class Kvm implements AutoCloseable {
    public static final Path DEVICE = Path.of("/dev/kvm");
    /**
     * The one sign that this process runs inside the emulated KVM host: tools/kvm-emu/run.sh
     * exports it to the command it runs there. Timings taken there are not native.
     */
    public static final String EMULATED_HOST_ENV = "JETTISON_KVM_EMU";
    private static final int[] REQUIRED_CAPS = {
        KvmIoctl.CAP_IRQCHIP, KvmIoctl.CAP_USER_MEMORY, KvmIoctl.CAP_PIT2, KvmIoctl.CAP_EXT_CPUID,
        KvmIoctl.CAP_MP_STATE, KvmIoctl.CAP_IMMEDIATE_EXIT,
    };
    private static final String[] REQUIRED_CAP_NAMES = {
        "KVM_CAP_IRQCHIP", "KVM_CAP_USER_MEMORY", "KVM_CAP_PIT2", "KVM_CAP_EXT_CPUID", "KVM_CAP_MP_STATE", "KVM_CAP_IMMEDIATE_EXIT",
    };

    private final Fd fd;
    private final int vcpuMmapSize;

    private Kvm(Fd fd) {
        this.fd = fd;
        this.vcpuMmapSize = Libc.ioctl(fd.get(), KvmIoctl.GET_VCPU_MMAP_SIZE, 0L, "KVM_GET_VCPU_MMAP_SIZE");
    }

    public static Kvm open() { return open(DEVICE); }

    public static Kvm open(Path device) {
        if (!Files.exists(device)) {
            throw new KvmUnavailableException(device + " does not exist: this host offers no KVM "
                    + "(enable VT-x/AMD-V in firmware, load kvm_intel or kvm_amd, or enable nested "
                    + "virtualization for this VM)");
        }
        Fd fd;
        try {
            fd = Fd.open(device.toString(), Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        } catch (SysException e) {
            if (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM) {
                throw new KvmUnavailableException("permission denied opening " + device
                        + ": run as root or add this user to the 'kvm' group", e);
            }
            throw new KvmUnavailableException("cannot open " + device + ": " + e.getMessage(), e);
        }
        try {
            int version = Libc.ioctl(fd.get(), KvmIoctl.GET_API_VERSION, 0L, "KVM_GET_API_VERSION");
            if (version != KvmIoctl.API_VERSION) {
                throw new KvmUnavailableException(device + " speaks KVM API version " + version
                        + "; Jettison needs version " + KvmIoctl.API_VERSION);
            }
            for (int i = 0; i < REQUIRED_CAPS.length; i++) {
                if (Libc.ioctl(fd.get(), KvmIoctl.CHECK_EXTENSION, REQUIRED_CAPS[i], "KVM_CHECK_EXTENSION") <= 0) {
                    throw new KvmUnavailableException("this KVM lacks " + REQUIRED_CAP_NAMES[i]
                            + ", which Jettison needs");
                }
            }
            return new Kvm(fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Why KVM cannot be used here, or empty when it can (for tests that skip with a reason). */
    public static Optional<String> unavailableReason() {
        try (Kvm kvm = open()) {
            return Optional.empty();
        } catch (KvmUnavailableException | SysException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether this process runs inside the emulated KVM host (tools/kvm-emu), where KVM is real but slow. */
    public static boolean inEmulatedHost() { return System.getenv(EMULATED_HOST_ENV) != null; }

    public int checkExtension(int capability) {
        return Libc.ioctl(fd.get(), KvmIoctl.CHECK_EXTENSION, capability, "KVM_CHECK_EXTENSION " + capability);
    }

    public int maxVcpus() {
        int max = checkExtension(KvmIoctl.CAP_MAX_VCPUS);
        return max > 0 ? max : Math.max(4, checkExtension(KvmIoctl.CAP_NR_VCPUS));
    }

    public int vcpuMmapSize() { return vcpuMmapSize; }

    /** The CPUID leaves this KVM can present to a guest. */
    public Cpuid supportedCpuid() {
        return Cpuid.query(fd, KvmIoctl.GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID");
    }

    /** The MSR indices KVM can save and restore (for the migration descriptor). */
    public int[] msrIndexList() {
        try (var arena = Arena.ofConfined()) {
            int capacity = 1024;
            var list = arena.allocate(KvmCpuStructs.msrListSize(capacity), 8);
            KvmCpuStructs.MSR_LIST_NMSRS.set(list, capacity);
            Libc.ioctl(fd.get(), KvmIoctl.GET_MSR_INDEX_LIST, list, "KVM_GET_MSR_INDEX_LIST");
            int n = (int) KvmCpuStructs.MSR_LIST_NMSRS.get(list);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = (int) KvmCpuStructs.MSR_LIST_INDEX.get(list, (long) i);
            return out;
        }
    }

    public KvmVm createVm() {
        int vmfd = Libc.ioctl(fd.get(), KvmIoctl.CREATE_VM, 0L, "KVM_CREATE_VM");
        return new KvmVm(this, new Fd(vmfd, "kvm-vm"));
    }

    @Override
    public void close() { fd.close(); }
}
