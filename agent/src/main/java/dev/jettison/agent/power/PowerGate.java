package dev.jettison.agent.power;

import dev.jettison.migration.wire.ServiceGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The desktop's memserv and diskserv pass every reply through here (§4): while the desktop is not
 * AWAKE the reply waits, so a request that arrived mid-suspend is answered after resume instead of
 * being lost. A held request does not wake the desktop by itself, as a real NIC in S3 drops it;
 * the server's magic packet does. Each admitted request is reported to the request listeners
 * (the microsleep controller), at admission rather than arrival because that is when a real
 * desktop first sees it.
 */
public final class PowerGate implements ServiceGate {
    private static final Logger LOG = LoggerFactory.getLogger(PowerGate.class);

    private final PowerManager power;
    private final List<Runnable> requestListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    PowerGate(PowerManager power) {
        this.power = power;
    }

    @Override
    public void admit() throws InterruptedException {
        if (power.state() != PowerState.AWAKE) {
            held.incrementAndGet();
            LOG.debug("request held: the desktop is {}", power.state());
        }
        power.awaitAwake();
        admitted.incrementAndGet();
        for (Runnable l : requestListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("request listener failed: {}", e.toString());
            }
        }
    }

    public void addRequestListener(Runnable l) {
        requestListeners.add(l);
    }

    public void removeRequestListener(Runnable l) {
        requestListeners.remove(l);
    }

    /** Requests let through so far. */
    public long admitted() {
        return admitted.get();
    }

    /** Requests that arrived while the desktop was not awake and had to wait. */
    public long held() {
        return held.get();
    }
}
