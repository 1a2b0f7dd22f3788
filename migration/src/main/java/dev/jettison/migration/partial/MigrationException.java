package dev.jettison.migration.partial;

/** A consolidation or reintegration that did not happen; the message says what state the guest is in now. */
public final class MigrationException extends Exception {
    public MigrationException(String message, Throwable cause) { super(message, cause); }

    public MigrationException(String message) { super(message); }
}
