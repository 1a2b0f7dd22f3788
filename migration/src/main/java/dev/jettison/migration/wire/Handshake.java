package dev.jettison.migration.wire;

import java.io.IOException;
import java.util.function.Predicate;

/**
 * The Hello exchange that opens every connection: the server (the side that asks for state)
 * says which VM it wants, the desktop answers with its own Hello or an Error, and both sides
 * then range-check page and block numbers against the VM's size.
 */
public final class Handshake {
    private Handshake() {}

    /** Client side: sends {@code mine}, expects a Hello for the same VM, sets the transport's limits. */
    public static Message.Hello client(Transport t, Message.Hello mine) throws IOException {
        t.send(mine);
        Message reply = t.receive();
        if (reply instanceof Message.Error e) {
            throw new IOException(t.peer() + " refused the Hello for " + mine.vmId() + ": " + e.message() + " (code " + e.code() + ")");
        }
        if (!(reply instanceof Message.Hello h)) {
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "expected a Hello from " + t.peer() + ", got " + reply);
        }
        if (!h.vmId().equals(mine.vmId())) {
            throw new IOException(t.peer() + " serves VM " + h.vmId() + ", not " + mine.vmId());
        }
        t.limits(Limits.of(h).withPayload(t.limits().maxPayloadBytes()));
        return h;
    }

    /**
     * Desktop side: reads the peer's Hello, answers with {@code mine} if {@code accept} agrees
     * (otherwise an Error naming the mismatch), and sets the limits. Returns the peer's Hello.
     */
    public static Message.Hello server(Transport t, Message.Hello mine, Predicate<Message.Hello> accept, String expectation)
            throws IOException {
        Message first = t.receive();
        if (!(first instanceof Message.Hello h)) {
            t.send(new Message.Error(Message.Error.UNEXPECTED, "expected Hello first, got " + first.getClass().getSimpleName()));
            throw new ProtocolException(ProtocolException.Kind.MALFORMED, "first message from " + t.peer() + " was " + first);
        }
        if (!h.vmId().equals(mine.vmId()) || !accept.test(h)) {
            String why = "this desktop serves VM " + mine.vmId() + " (" + expectation + "); asked for " + h.vmId()
                    + " with " + h.ramBytes() + " RAM bytes, " + h.diskBytes() + " disk bytes";
            t.send(new Message.Error(Message.Error.VM_MISMATCH, why));
            throw new IOException(t.peer() + ": " + why);
        }
        t.send(mine);
        t.limits(Limits.of(mine).withPayload(t.limits().maxPayloadBytes()));
        return h;
    }
}
