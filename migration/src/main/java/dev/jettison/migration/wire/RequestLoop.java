package dev.jettison.migration.wire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The read loop of a desktop-side server (memserv, diskserv) that answers one kind of request:
 * runs until Bye, end of stream or a frame that breaks the framing. A bad frame that leaves the
 * stream in step, or a message of the wrong kind, gets an Error reply and the loop goes on, so
 * one confused peer never ends the service.
 */
public final class RequestLoop {
    private static final Logger log = LoggerFactory.getLogger(RequestLoop.class);

    /** Answers one well-formed request. */
    @FunctionalInterface
    public interface Answer<R extends Message> {
        void answer(R request) throws IOException;
    }

    private RequestLoop() {}

    /** {@link #serve(Transport, String, String, Class, Answer, Runnable, ServiceGate)} with no gate. */
    public static <R extends Message> void serve(Transport t, String service, String vmId, Class<R> requestType,
                                                 Answer<R> answer, Runnable onBad) throws IOException {
        serve(t, service, vmId, requestType, answer, onBad, ServiceGate.OPEN);
    }

    /**
     * @param service  "memserv" or "diskserv", for log lines and error replies
     * @param onBad    counts a bad frame or an unexpected message
     * @param gate     admits each reply; error replies wait too, since a sleeping desktop answers nothing
     */
    public static <R extends Message> void serve(Transport t, String service, String vmId, Class<R> requestType,
                                                 Answer<R> answer, Runnable onBad, ServiceGate gate) throws IOException {
        while (true) {
            Message m;
            try {
                m = t.receive();
            } catch (EOFException e) {
                return;
            } catch (ProtocolException e) {
                admit(gate, service, vmId);
                onBad.run();
                log.warn("{} {}: bad frame from {}: {}", service, vmId, t.peer(), e.getMessage());
                t.send(new Message.Error(e.kind().framingIntact() ? Message.Error.BAD_REQUEST : Message.Error.PROTOCOL, e.getMessage()));
                if (e.kind().framingIntact()) continue;
                return;
            }
            if (m instanceof Message.Bye) return;
            admit(gate, service, vmId);
            if (requestType.isInstance(m)) {
                answer.answer(requestType.cast(m));
            } else {
                onBad.run();
                t.send(new Message.Error(Message.Error.UNEXPECTED, service + " answers " + requestType.getSimpleName()
                        + " and Bye, not " + m.getClass().getSimpleName()));
            }
        }
    }

    /** Waits at {@code gate}; an interrupt while waiting ends the connection as an I/O error. */
    public static void admit(ServiceGate gate, String service, String vmId) throws InterruptedIOException {
        try {
            gate.admit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(service + " " + vmId + ": interrupted while the desktop was asleep");
        }
    }
}
