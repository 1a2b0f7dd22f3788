package dev.jettison.sys;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThreadKickTest {
    /** A platform thread blocked in poll(2) with no timeout must come back with EINTR when kicked. */
    @Test
    void kickInterruptsABlockingSystemCall() throws Exception {
        var kicker = new CompletableFuture<ThreadKick>();
        var result = new CompletableFuture<Integer>();
        try (var ev = new EventFd()) {
            Thread t = Thread.ofPlatform().start(() -> {
                var kick = ThreadKick.forCurrentThread();
                try (var fds = java.lang.foreign.Arena.ofConfined()) {
                    var pollfd = fds.allocate(8, 8);
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, ev.fd().get());
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                    ThreadKick.unblockCurrent(true);
                    kicker.complete(kick);
                    int r = Libc.poll(pollfd, 1, -1);
                    ThreadKick.unblockCurrent(false);
                    result.complete(r);
                }
            });
            var kick = kicker.get(5, TimeUnit.SECONDS);
            Thread.sleep(100); // let it enter poll
            kick.kick();
            assertEquals(-Errno.EINTR, result.get(5, TimeUnit.SECONDS));
            t.join(5000);
        }
    }

    /** A kick sent while the signal is blocked stays pending and ends the next interruptible call. */
    @Test
    void kickSentBeforeTheCallIsNotLost() throws Exception {
        var result = new CompletableFuture<Integer>();
        try (var ev = new EventFd()) {
            Thread t = Thread.ofPlatform().start(() -> {
                var kick = ThreadKick.forCurrentThread();
                kick.kick(); // blocked: stays pending
                try (var fds = java.lang.foreign.Arena.ofConfined()) {
                    var pollfd = fds.allocate(8, 8);
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, ev.fd().get());
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                    ThreadKick.unblockCurrent(true); // delivered here, before poll starts
                    int r = Libc.poll(pollfd, 1, 200);
                    ThreadKick.unblockCurrent(false);
                    result.complete(r);
                }
            });
            // The signal is delivered on unblock, so poll itself then times out normally (0): what
            // matters is that the handler ran without killing the process and the thread went on.
            assertEquals(0, result.get(5, TimeUnit.SECONDS));
            t.join(5000);
        }
    }

    /** A kick that stays pending (blocked) is drained, so the next interruptible call is not cut short. */
    @Test
    void pendingKickCanBeConsumedWithoutRunningTheHandler() throws Exception {
        var result = new CompletableFuture<Integer>();
        var drained = new CompletableFuture<int[]>();
        try (var ev = new EventFd()) {
            Thread t = Thread.ofPlatform().start(() -> {
                var kick = ThreadKick.forCurrentThread();
                kick.kick();
                kick.kick();
                drained.complete(new int[] {ThreadKick.consumePending(), ThreadKick.consumePending()});
                try (var fds = java.lang.foreign.Arena.ofConfined()) {
                    var pollfd = fds.allocate(8, 8);
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, ev.fd().get());
                    pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                    ev.signal();
                    ThreadKick.unblockCurrent(true);
                    int r = Libc.poll(pollfd, 1, 1000);
                    ThreadKick.unblockCurrent(false);
                    result.complete(r);
                }
            });
            assertEquals(1, result.get(5, TimeUnit.SECONDS), "poll must see the eventfd, not a stale kick");
            assertEquals(2, drained.get()[0], "both queued kicks are taken off");
            assertEquals(0, drained.get()[1], "nothing is left pending");
            t.join(5000);
        }
    }
}
