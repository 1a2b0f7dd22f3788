package dev.jettison.migration.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The Hello exchange that opens every connection: the side that asks for state says which VM
 * and which consolidation epoch it wants, the desktop answers with its own Hello or with an
 * Error that says nothing about what it serves, and both sides then range-check page and block
 * numbers against the VM's size.
 */
public final class Handshake {
    /** How long an accepted connection may take to say Hello before it is dropped. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Handshake() {}

    /**
     * Client side: checks the peer's certificate first (a desktop talks only to a server; a server
     * fetches a VM's state only from the desktop that owns it), so nothing about the VM goes to the
     * wrong host; then sends {@code mine}, expects a Hello for the same VM and epoch, sets the
     * transport's limits.
     */
    public static Message.Hello client(Transport t, Message.Hello mine) throws IOException {
        t.identity().require(mine.role() == Role.DESKTOP ? Role.SERVER : Role.DESKTOP, mine.vmId());
        t.send(mine);
        Message reply = t.receive();
        if (reply instanceof Message.Error e) {
            if (e.code() == Message.Error.NO_SESSION) throw new SessionEndedException(t.peer(), mine);
            if (e.code() == Message.Error.REFUSED) {
                throw new PeerRefusedException(t.peer() + " refused this host's certificate for VM " + mine.vmId());
            }
            throw new IOException(t.peer() + " refused the Hello for " + mine.vmId() + ": " + e.message() + " (code " + e.code() + ")");
        }
        if (!(reply instanceof Message.Hello h)) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "expected a Hello from " + t.peer() + ", got " + reply);
        }
        if (!h.vmId().equals(mine.vmId()) || !h.session().equals(mine.session())) {
            throw new IOException(t.peer() + " answered for VM " + h.vmId() + " epoch " + h.session() + ", not "
                    + mine.vmId() + " epoch " + mine.session());
        }
        t.limits(Limits.of(h));
        return h;
    }

    /**
     * Desktop side: reads the peer's Hello, refuses it with {@code Error(REFUSED)} unless the peer's
     * certificate names it a server, and asks {@code answer} for this side's Hello to it;
     * an empty answer (not this VM, not its current epoch, not its size) is refused with
     * {@code Error(NO_SESSION)}, which names nothing, since the peer has not shown it belongs.
     * Sets the limits and returns the peer's Hello.
     */
    public static Message.Hello server(Transport t, Function<Message.Hello, java.util.Optional<Message.Hello>> answer)
            throws IOException {
        Message first = t.receive();
        if (!(first instanceof Message.Hello h)) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected Hello first"));
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "first message from " + t.peer() + " was " + first);
        }
        try {
            t.identity().require(Role.SERVER, h.vmId());
        } catch (PeerRefusedException e) {
            t.send(new Message.Error(Message.Error.REFUSED, Message.Error.REFUSED_TEXT));
            throw e;
        }
        var mine = answer.apply(h);
        if (mine.isEmpty()) {
            t.send(new Message.Error(Message.Error.NO_SESSION, Message.Error.NO_SESSION_TEXT));
            throw new IOException(t.peer() + " asked for VM " + h.vmId() + " epoch " + h.session()
                    + ", which is not served here (refused)");
        }
        t.send(mine.get());
        t.limits(Limits.of(mine.get()));
        return h;
    }
}
