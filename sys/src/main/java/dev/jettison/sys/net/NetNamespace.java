package dev.jettison.sys.net;

import dev.jettison.sys.Fd;
import dev.jettison.sys.Libc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs code in a named network namespace ({@code ip netns add NAME}) on a platform thread of its
 * own: setns(2) moves only the calling thread, and a socket keeps the namespace it was created in,
 * so sockets and taps opened by {@code body} live there while the rest of the process stays put.
 */
public final class NetNamespace {
    private static final long SYS_SETNS = 308;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Path RUN = Path.of("/var/run/netns");

    private NetNamespace() {}

    public static <T> T call(String name, Callable<T> body) throws Exception {
        Path file = RUN.resolve(name);
        if (!name.matches("[A-Za-z0-9_.-]{1,64}") || !Files.exists(file)) {
            throw new IllegalArgumentException("no network namespace '" + name + "' (ip netns add " + name + ")");
        }
        var result = new CompletableFuture<T>();
        Thread.ofPlatform().name("netns-" + name).start(() -> {
            try (var fd = Fd.open(file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0)) {
                Libc.syscall(SYS_SETNS, fd.get(), CLONE_NEWNET, 0, "setns " + name);
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }
}
