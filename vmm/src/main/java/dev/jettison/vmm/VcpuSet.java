package dev.jettison.vmm;

import dev.jettison.sys.ThreadKick;
import dev.jettison.sys.kvm.KvmRun;
import dev.jettison.sys.kvm.KvmStructs;
import dev.jettison.vmm.devices.IoBus;
import dev.jettison.vmm.kvm.KvmVcpu;
import dev.jettison.vmm.kvm.MmioBus;
import dev.jettison.vmm.kvm.PageWalk;
import dev.jettison.vmm.memory.GuestMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Runs the vCPUs, each on its own platform thread (KVM_RUN blocks in the kernel), and pauses,
 * resumes and stops them from any other thread. A pause kicks every vCPU out of KVM_RUN with a
 * signal and returns only once all of them are parked, so the caller may then read or change
 * vCPU state and guest memory consistently.
 */
public final class VcpuSet {
    private static final Logger LOG = LoggerFactory.getLogger(VcpuSet.class);

    private enum Request { RUN, PAUSE, STOP }

    /** How often a running VM is checked for having halted for good ({@link #watchForHalt}). */
    private static final Duration HALT_CHECK_PERIOD = Duration.ofSeconds(1);
    /** How long a check waits for the kicked vCPUs to answer; a halted vCPU answers at once. */
    private static final Duration HALT_ANSWER_TIMEOUT = Duration.ofMillis(500);
    private static final long RFLAGS_IF = 1L << 9;

    private final List<KvmVcpu> vcpus;
    private final IoBus io;
    private final MmioBus mmio;
    private final GuestMemory memory;
    private final ThreadKick[] kicks;
    private final Thread[] threads;
    private final boolean[] started;
    private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
    private Request request = Request.RUN;
    private int parked;
    private int running;
    /** Per vCPU: asked to report, at its next kick, whether it has stopped for good ({@link #stoppedForGood}). */
    private final boolean[] haltProbe;
    private final boolean[] haltedForGood;
    private int haltAnswers;

    public VcpuSet(List<KvmVcpu> vcpus, IoBus io, MmioBus mmio, GuestMemory memory) {
        this.vcpus = List.copyOf(vcpus);
        this.io = io;
        this.mmio = mmio;
        this.memory = memory;
        this.kicks = new ThreadKick[vcpus.size()];
        this.threads = new Thread[vcpus.size()];
        this.started = new boolean[vcpus.size()];
        this.haltProbe = new boolean[vcpus.size()];
        this.haltedForGood = new boolean[vcpus.size()];
    }

    /** Starts every vCPU thread, optionally held paused (a restored VM that the caller resumes later). */
    public synchronized void start(boolean paused) {
        if (paused) request = Request.PAUSE;
        for (int i = 0; i < vcpus.size(); i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().name("vcpu-" + i).daemon(true).start(() -> loop(index));
        }
        running = vcpus.size();
        Thread.ofPlatform().name("halt-watch").daemon(true).start(this::watchForHalt);
        try {
            while (anyKickMissing()) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the VM as powered off once every vCPU has stopped for good, in two checks in a row.
     * That is how a PC without a power-off device ends: Linux without ACPI (acpi=off) turns
     * poweroff into halt, stops the other CPUs and halts with interrupts disabled
     * (machine_halt, stop_this_cpu), as does any OS's final "cli; hlt". With an in-kernel LAPIC
     * such a HLT never leaves KVM_RUN, so the only way to see it is to look: each check kicks the
     * vCPUs out of KVM_RUN, which a halted vCPU leaves at once and re-enters still halted. Two
     * checks because the vCPUs answer one after another, and a vCPU halted with interrupts off
     * can still be woken by another's IPI (INIT, NMI, or PV unhalt of a paravirtual spinlock)
     * until that one halts too.
     */
    private void watchForHalt() {
        boolean previous = false;
        while (!exit.isDone()) {
            try {
                try {
                    exit.get(HALT_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                    return; // the VM ended: nothing left to watch, and no thread left behind
                } catch (TimeoutException stillRunning) {
                    // time for the next check
                } catch (ExecutionException e) {
                    return;
                }
                boolean halted = allHaltedForGood();
                if (halted && previous) {
                    LOG.info("every vCPU halted with interrupts disabled: the guest powered the machine off");
                    stop(VmExit.PowerOff.halted());
                    return;
                }
                previous = halted;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Kicks every vCPU and collects its answer: whether it can never run again without outside help. */
    private synchronized boolean allHaltedForGood() throws InterruptedException {
        if (request != Request.RUN || running < vcpus.size()) return false;
        Arrays.fill(haltProbe, true);
        haltAnswers = 0;
        kickAll();
        long deadline = System.nanoTime() + HALT_ANSWER_TIMEOUT.toNanos();
        while (haltAnswers < vcpus.size() && request == Request.RUN) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            wait(Math.max(1, left / 1_000_000));
        }
        Arrays.fill(haltProbe, false);
        if (haltAnswers < vcpus.size()) return false;
        for (boolean h : haltedForGood) if (!h) return false;
        return true;
    }

    /** Answers a halt check if one is pending for this vCPU (called on its own thread, out of KVM_RUN). */
    private void answerHaltProbe(int index, KvmVcpu vcpu) {
        synchronized (this) {
            if (!haltProbe[index]) return;
            haltProbe[index] = false;
        }
        boolean halted = stoppedForGood(vcpu);
        synchronized (this) {
            haltedForGood[index] = halted;
            haltAnswers++;
            notifyAll();
        }
    }

    /**
     * Halted with interrupts disabled (only an NMI, INIT or SMI wakes it, and nothing but another
     * vCPU sends those), or never started (waiting for the INIT/SIPI only another vCPU sends).
     */
    private static boolean stoppedForGood(KvmVcpu vcpu) {
        int mp = vcpu.mpState();
        if (mp == KvmStructs.MP_STATE_UNINITIALIZED || mp == KvmStructs.MP_STATE_INIT_RECEIVED) return true;
        return mp == KvmStructs.MP_STATE_HALTED && (vcpu.reg(vcpu.regs(), KvmStructs.Reg.RFLAGS) & RFLAGS_IF) == 0;
    }

    private boolean anyKickMissing() {
        for (int i = 0; i < kicks.length; i++) if (kicks[i] == null && !started[i]) return true;
        return false;
    }

    public CompletableFuture<VmExit> exit() { return exit; }

    /** Stops all vCPUs in KVM_RUN and waits until every one is parked. */
    public void pause(Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            if (request == Request.STOP) return;
            request = Request.PAUSE;
            kickAll();
            while (parked < running && request == Request.PAUSE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException(parked + " of " + running + " vCPUs parked after " + timeout);
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted while pausing");
                }
            }
        }
    }

    public synchronized void resume() {
        if (request == Request.PAUSE) {
            request = Request.RUN;
            notifyAll();
        }
    }

    public synchronized boolean isPaused() { return request == Request.PAUSE && parked == running; }

    /** Ends the VM with {@code why} (first reason wins) and stops every vCPU. */
    public void stop(VmExit why) {
        exit.complete(why);
        synchronized (this) {
            request = Request.STOP;
            notifyAll();
            kickAll();
        }
    }

    public void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var t : threads) {
            if (t != null) t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    /**
     * What every vCPU is doing, for a guest that stopped making progress: each thread's state and
     * top frames (in KVM_RUN, or blocked in a device?), then, if the vCPUs can be paused, each one's
     * RIP, CPL and bytes at RIP. The VM is resumed afterwards if this call paused it.
     */
    public String diagnose(Duration pauseTimeout) {
        var sb = new StringBuilder();
        for (int i = 0; i < threads.length; i++) {
            var t = threads[i];
            sb.append("vCPU ").append(i).append(" thread ").append(t == null ? "not started" : t.getState());
            if (t != null) {
                var frames = t.getStackTrace();
                for (int f = 0; f < Math.min(6, frames.length); f++) sb.append("\n    at ").append(frames[f]);
            }
            sb.append('\n');
        }
        boolean wasPaused = isPaused();
        try {
            pause(pauseTimeout);
            for (var vcpu : vcpus) sb.append("vCPU ").append(vcpu.id()).append(where(vcpu)).append('\n');
        } catch (TimeoutException e) {
            sb.append("could not pause to read registers: ").append(e.getMessage()).append('\n');
        } finally {
            if (!wasPaused) resume();
        }
        return sb.toString();
    }

    private void kickAll() {
        for (var k : kicks) if (k != null) k.kick();
    }

    private void loop(int index) {
        var vcpu = vcpus.get(index);
        try {
            var kick = ThreadKick.forCurrentThread();
            vcpu.setSignalMask(ThreadKick.unblockedMask());
            synchronized (this) {
                kicks[index] = kick;
                started[index] = true;
                notifyAll();
            }
            boolean ioPending = false;
            while (true) {
                boolean complete = false;
                synchronized (this) {
                    if (request == Request.PAUSE && ioPending) {
                        complete = true;
                    } else if (request == Request.PAUSE) {
                        vcpu.markPausedForKvmClock();
                        parked++;
                        notifyAll();
                        while (request == Request.PAUSE) wait();
                        parked--;
                    }
                    if (request == Request.STOP) break;
                }
                // KVM finishes the instruction of an I/O or MMIO exit (an IN's value into RAX, RIP past it)
                // only on the next KVM_RUN. Before parking, enter once with immediate_exit, which runs no guest
                // code, so a paused vCPU's registers are whole: captured half-done, the state restored on the
                // other side pairs the wrong RIP, registers or CS (KVM API documentation, "immediate_exit").
                if (complete) vcpu.run().setImmediateExit(true);
                int r = vcpu.enter();
                if (complete) vcpu.run().setImmediateExit(false);
                ioPending = false; // any KVM_RUN completes the previous exit's instruction first
                if (r < 0) { // kicked (or immediate exit): take any signal off and look at the request
                    ThreadKick.consumePending();
                    answerHaltProbe(index, vcpu);
                    continue;
                }
                int reason = vcpu.run().exitReason();
                ioPending = reason == KvmRun.EXIT_IO || reason == KvmRun.EXIT_MMIO;
                VmExit result = handleExit(vcpu);
                if (result != null) {
                    stop(result);
                    break;
                }
            }
        } catch (Throwable t) {
            LOG.error("vCPU {} failed", index, t);
            stop(new VmExit.Failed("vCPU " + index + ": " + t));
        } finally {
            synchronized (this) {
                // Never kick this thread again: once it exits, its pthread id may be reused by another thread.
                kicks[index] = null;
                started[index] = true; // also when it failed before starting: start() must not wait for it
                running--;
                notifyAll();
            }
        }
    }

    /** Handles one exit; returns why the VM ends, or null to keep running. */
    private VmExit handleExit(KvmVcpu vcpu) {
        KvmRun run = vcpu.run();
        int reason = run.exitReason();
        switch (reason) {
            case KvmRun.EXIT_IO -> handleIo(run);
            case KvmRun.EXIT_MMIO -> handleMmio(run);
            case KvmRun.EXIT_INTR, KvmRun.EXIT_IRQ_WINDOW_OPEN -> { }
            case KvmRun.EXIT_HLT -> {
                // Only without an in-kernel LAPIC; ours has one, so a HLT exit means nothing will wake it.
                return new VmExit.Failed("vCPU " + vcpu.id() + " halted with no interrupt source" + where(vcpu));
            }
            case KvmRun.EXIT_SHUTDOWN -> {
                return new VmExit.Reset("triple fault on vCPU " + vcpu.id() + where(vcpu));
            }
            case KvmRun.EXIT_SYSTEM_EVENT -> {
                return new VmExit.Reset("system event " + run.systemEventType() + " on vCPU " + vcpu.id());
            }
            case KvmRun.EXIT_INTERNAL_ERROR -> {
                return new VmExit.Failed(describeInternalError(vcpu));
            }
            case KvmRun.EXIT_FAIL_ENTRY -> {
                return new VmExit.Failed("KVM could not enter the guest on vCPU " + vcpu.id()
                        + ": hardware entry failure reason 0x" + Long.toHexString(run.failEntryReason()) + where(vcpu));
            }
            default -> {
                return new VmExit.Failed("unexpected KVM exit reason " + reason + " on vCPU " + vcpu.id() + where(vcpu));
            }
        }
        return null;
    }

    private void handleIo(KvmRun run) {
        MemorySegment page = run.segment();
        int size = run.ioSize();
        int port = run.ioPort();
        long off = run.ioDataOffset();
        for (int i = 0; i < run.ioCount(); i++, off += size) {
            if (run.ioDirection() == KvmRun.IO_OUT) {
                int value = switch (size) {
                    case 1 -> Byte.toUnsignedInt(page.get(JAVA_BYTE, off));
                    case 2 -> Short.toUnsignedInt(page.get(JAVA_SHORT_UNALIGNED, off));
                    default -> page.get(JAVA_INT_UNALIGNED, off);
                };
                io.write(port, size, value);
            } else {
                int value = io.read(port, size);
                switch (size) {
                    case 1 -> page.set(JAVA_BYTE, off, (byte) value);
                    case 2 -> page.set(JAVA_SHORT_UNALIGNED, off, (short) value);
                    default -> page.set(JAVA_INT_UNALIGNED, off, value);
                }
            }
        }
    }

    private void handleMmio(KvmRun run) {
        var page = run.segment();
        long data = run.mmioDataOffset();
        int len = Math.min(8, run.mmioLength());
        if (run.mmioIsWrite()) {
            long value = 0;
            for (int i = 0; i < len; i++) value |= (long) Byte.toUnsignedInt(page.get(JAVA_BYTE, data + i)) << (8 * i);
            mmio.write(run.mmioAddress(), len, value);
        } else {
            long value = mmio.read(run.mmioAddress(), len);
            for (int i = 0; i < len; i++) page.set(JAVA_BYTE, data + i, (byte) (value >>> (8 * i)));
        }
    }

    private String describeInternalError(KvmVcpu vcpu) {
        KvmRun run = vcpu.run();
        var sb = new StringBuilder("KVM internal error on vCPU ").append(vcpu.id());
        int sub = run.internalSuberror();
        sb.append(switch (sub) {
            case 1 -> " (emulation failure: the instruction cannot be emulated by this KVM)";
            case 2 -> " (exception while delivering an exception)";
            case 3 -> " (event delivery failed)";
            case 4 -> " (unexpected exit reason)";
            default -> " (suberror " + sub + ")";
        });
        sb.append(where(vcpu));
        if (sub == KvmRun.INTERNAL_ERROR_EMULATION
                && (run.emulationFlags() & KvmRun.EMULATION_FLAG_INSTRUCTION_BYTES) != 0) {
            sb.append(", instruction bytes ").append(HexFormat.ofDelimiter(" ").formatHex(run.emulationInstructionBytes()));
        }
        return sb.toString();
    }

    /** ", RIP 0x…, CPL n, bytes at RIP: …" from the vCPU's registers and guest memory. */
    private String where(KvmVcpu vcpu) {
        try {
            var regs = MemorySegment.ofArray(vcpu.regs());
            var sregs = MemorySegment.ofArray(vcpu.sregs());
            long rip = regs.get(JAVA_LONG_UNALIGNED, KvmStructs.Reg.RIP.offset());
            int cpl = KvmStructs.segmentSelector(sregs, KvmStructs.Seg.CS) & 3;
            long cr3 = sregs.get(JAVA_LONG_UNALIGNED, KvmStructs.SREGS_CR3);
            long cr0 = sregs.get(JAVA_LONG_UNALIGNED, KvmStructs.SREGS_CR0);
            var sb = new StringBuilder(", RIP 0x").append(Long.toHexString(rip)).append(", CPL ").append(cpl);
            long phys = (cr0 & (1L << 31)) != 0 ? PageWalk.translate(memory, cr3, rip) : rip;
            if (phys >= 0) {
                int n = (int) Math.min(15, 4096 - (phys & 0xFFF));
                byte[] bytes = memory.read(phys, n);
                sb.append(", bytes at RIP ").append(HexFormat.ofDelimiter(" ").formatHex(bytes));
            }
            return sb.toString();
        } catch (RuntimeException e) {
            return " (registers unreadable: " + e.getMessage() + ")";
        }
    }
}
