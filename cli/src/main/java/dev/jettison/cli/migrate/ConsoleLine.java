package dev.jettison.cli.migrate;

/**
 * A line to type into the guest's serial console through the desktop's HTTP API. Only one
 * printable ASCII line is accepted: a newline or control character would type more than the
 * caller asked for (a second command, or an edit of the first).
 */
record ConsoleLine(String text) {
    static final int MAX_LENGTH = 200;

    ConsoleLine {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("missing ?line= (the console line to type)");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("console line too long: " + text.length() + " characters (at most " + MAX_LENGTH + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("console line may hold only printable ASCII: character " + i
                        + " is U+" + String.format("%04X", (int) c));
            }
        }
        if (text.isBlank()) throw new IllegalArgumentException("console line is blank (the guest drops empty lines)");
    }
}
