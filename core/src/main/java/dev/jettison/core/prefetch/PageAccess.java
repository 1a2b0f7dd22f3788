package dev.jettison.core.prefetch;

/** What happened when a partial VM touched a page. */
public sealed interface PageAccess {
    /** Already in the VM's memory on the server. */
    record Present() implements PageAccess {
    }

    /** Was waiting in the prefetch buffer; served on the server with the desktop asleep or not. */
    record FromBuffer() implements PageAccess {
    }

    /**
     * A remote fault: the desktop must be awake to serve it. {@code pagesFetched} counts the faulting page
     * plus what the pivot window brought along.
     */
    record Remote(int pagesFetched) implements PageAccess {
    }

    PageAccess PRESENT = new Present();
    PageAccess FROM_BUFFER = new FromBuffer();
}
