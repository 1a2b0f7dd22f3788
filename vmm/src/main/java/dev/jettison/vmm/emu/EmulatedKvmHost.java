package dev.jettison.vmm.emu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An <em>emulated</em> KVM host for machines whose kernel offers no /dev/kvm (ours, some days):
 * tools/kvm-emu boots Debian's kernel under QEMU's software CPU emulation with an emulated AMD
 * SVM CPU, loads kvm_amd, and runs a command there with this machine's root filesystem and the
 * repository mounted at the same paths. The command then uses the real KVM API of that kernel;
 * only the hardware is emulated (about 30x slower for JVM work), so it is fit for functional
 * tests and never for timing.
 */
public final class EmulatedKvmHost {
    /** Longest any one test may take inside the emulated host (a consolidation there takes minutes). */
    static final Duration PER_TEST_TIMEOUT = Duration.ofMinutes(15);
    /**
     * Silence after which a run counts as stalled: the longest test here prints nothing for about
     * five minutes (a consolidation of Debian's kernel on a loaded machine); JUnit reports each
     * test as it starts and ends.
     */
    static final Duration SILENCE_LIMIT = Duration.ofMinutes(12);
    /** Exit code of a run that stalled ({@link #SILENCE_LIMIT}). */
    public static final int STALLED = 200;

    /** What the command printed and returned inside the emulated host. */
    public record Result(int exitCode, String output) {
        /** A count from the JUnit console launcher's summary ("[ 3 tests successful ]"), or -1. */
        public int count(String what) {
            var m = java.util.regex.Pattern.compile("\\[\\s*(\\d+) " + what + "\\s*\\]").matcher(output);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    /**
     * Runs the tests tagged {@code tag} of the module whose build directory is {@code target}
     * (its test-classpath.txt and tools/junit-platform-console-standalone.jar, written by the
     * module's build) inside the emulated host.
     */
    public static Result runTaggedTests(Path home, Path target, String tag, Duration timeout, Map<String, String> env)
            throws IOException, InterruptedException {
        String cp = target.resolve("test-classes") + ":" + target.resolve("classes") + ":"
                + Files.readString(target.resolve("test-classpath.txt")).strip();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return run(home, List.of(java, "--enable-native-access=ALL-UNNAMED", "-Djettison.home=" + home, "-jar",
                target.resolve("tools/junit-platform-console-standalone.jar").toString(), "execute", "--disable-banner",
                // Jupiter only: the "kvm" tests are Jupiter tests; any other engine that reaches the test class
                // path has nothing to run in the emulated host and should not start there.
                "--disable-ansi-colors", "--details=verbose", "--include-engine", "junit-jupiter", "--class-path", cp,
                // One stuck test fails alone, with its stack in the report, instead of holding up
                // the whole run until the host's deadline and losing everything it printed.
                "--config=junit.jupiter.execution.timeout.default=" + PER_TEST_TIMEOUT.toMinutes() + "m",
                "--config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD",
                "--scan-class-path", target.resolve("test-classes").toString(), "--include-tag", tag), timeout, env);
    }

    private EmulatedKvmHost() {}

    /** How a module's "kvm" tests fared in the emulated host. */
    public sealed interface Outcome {
        /** Not run: KVM is here (they ran natively) or no emulated host can be had. */
        record Skipped(String reason) implements Outcome {}
        record Passed(String output) implements Outcome {}
        record Failed(String why, String output) implements Outcome {}
    }

    /** Tag of the tests that boot a guest with a full kernel (Debian's): they need hardware virtualization. */
    public static final String STOCK_KERNEL_TAG = "stock-kernel";

    /**
     * Runs in the emulated host what this machine's KVM cannot: every test of {@code module} tagged
     * "kvm" where there is no /dev/kvm, or only those tagged {@link #STOCK_KERNEL_TAG} where /dev/kvm
     * is PVM (which runs the test guest natively but not a stock kernel). All must pass, none may
     * skip, and at least {@code expectedKvm} (resp. {@code expectedStockKernel}) must have run.
     */
    public static Outcome runModuleKvmTests(String module, int expectedKvm, int expectedStockKernel, Duration timeout)
            throws IOException, InterruptedException {
        String tag;
        int expected;
        if (dev.jettison.vmm.kvm.Kvm.unavailableReason().isPresent()) {
            tag = "kvm";
            expected = expectedKvm;
        } else if (!dev.jettison.vmm.kvm.KvmHostKind.detect().runsStockKernels() && expectedStockKernel > 0) {
            tag = STOCK_KERNEL_TAG;
            expected = expectedStockKernel;
        } else {
            return new Outcome.Skipped("KVM is available here: the kvm-tagged tests ran natively");
        }
        var home = dev.jettison.vmm.guest.TestGuest.home();
        if (home.isEmpty()) return new Outcome.Skipped("no Jettison source tree (jettison.home) to run the tests from");
        var reason = unavailableReason(home.get());
        if (reason.isPresent()) return new Outcome.Skipped("no KVM here that runs these tests, and no emulated KVM host: " + reason.get());
        dev.jettison.vmm.guest.TestGuest.ensureBuilt(); // build the guests here, not 30x slower inside
        // The stock-kernel guests too: the emulated host has no network for apt-get or debootstrap.
        Map<String, String> env = Map.of();
        if (expectedStockKernel > 0) {
            var debian = dev.jettison.vmm.guest.DebianGuest.ensureBuilt();
            env = Map.of(dev.jettison.vmm.guest.LinuxGuest.PREBUILT_ENV, debian.linux().toString(),
                    dev.jettison.vmm.guest.DebianGuest.PREBUILT_ENV, debian.debian().toString());
        }
        var r = runTaggedTests(home.get(), home.get().resolve(module).resolve("target"), tag, timeout, env);
        if (r.exitCode() == STALLED) {
            // Known, rare and not yet understood: a run inside the emulated host that stops making
            // progress (docs/kvm-hosts.md). One more try tells a stall of the emulation from a
            // test that fails: a failing test fails again.
            System.err.println("emulated KVM host stalled; running the " + module + " tests there once more");
            r = runTaggedTests(home.get(), home.get().resolve(module).resolve("target"), tag, timeout, env);
        }
        String out = r.output();
        if (r.exitCode() != 0) return new Outcome.Failed("exit code " + r.exitCode(), out);
        if (r.count("tests failed") != 0) return new Outcome.Failed(r.count("tests failed") + " failed", out);
        if (r.count("tests skipped") != 0) return new Outcome.Failed("inside the emulated host nothing may skip", out);
        if (r.count("tests successful") < expected) {
            return new Outcome.Failed(r.count("tests successful") + " passed, expected at least " + expected, out);
        }
        return new Outcome.Passed(out);
    }

    /** The emulated host's output as it comes, or null where it cannot be written (never a reason to fail). */
    private static java.io.BufferedWriter openLog(Path log) {
        try {
            Files.createDirectories(log.getParent());
            return Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    public static Optional<String> unavailableReason(Path home) {
        if (!Files.isExecutable(home.resolve("tools/kvm-emu/run.sh"))) return Optional.of("no tools/kvm-emu/run.sh in " + home);
        if (!"root".equals(System.getProperty("user.name"))) return Optional.of("the emulated KVM host needs root");
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) return Optional.empty();
        }
        return Optional.of("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
    }

    public static Result run(Path home, List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(home, command, timeout, Map.of());
    }

    /** Runs {@code command} in the emulated host with {@code env} added to its environment. */
    public static Result run(Path home, List<String> command, Duration timeout, Map<String, String> env)
            throws IOException, InterruptedException {
        var cmd = new ArrayList<String>();
        cmd.add(home.resolve("tools/kvm-emu/run.sh").toString());
        cmd.addAll(command);
        var pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("KVM_EMU_TIMEOUT", Long.toString(timeout.toSeconds()));
        Process p = pb.start();
        // Line by line, so that a run that never ends still reports how far it got.
        var out = new StringBuffer();
        var lastOutput = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        // Also to a file as it comes, so that a run of many minutes can be followed (tail -f).
        Path log = home.resolve("target").resolve("kvm-emu-last.log");
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var file = openLog(log)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lastOutput.set(System.nanoTime());
                    out.append(line).append('\n');
                    if (file != null) {
                        file.write(line);
                        file.newLine();
                        file.flush();
                    }
                }
            } catch (IOException e) {
                out.append("\n(output lost: ").append(e.getMessage()).append(")");
            }
        });
        long deadline = System.nanoTime() + timeout.plusSeconds(120).toNanos();
        while (!p.waitFor(5, TimeUnit.SECONDS)) {
            if (System.nanoTime() - lastOutput.get() > SILENCE_LIMIT.toNanos()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // QEMU too, not only run.sh
                p.destroyForcibly();
                reader.join(5000);
                return new Result(STALLED, out + "\n(emulated host printed nothing for " + SILENCE_LIMIT + ": stalled)");
            }
            if (System.nanoTime() > deadline) break;
        }
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            return new Result(124, out + "\n(emulated host did not finish within " + timeout + ")");
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }
}
