package dev.jettison.cli.migrate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleLineTest {
    @Test
    void acceptsOnePrintableLine() {
        assertEquals("verify", new ConsoleLine("verify").text());
        assertEquals("echo a=b ~!", new ConsoleLine("echo a=b ~!").text());
        assertEquals(ConsoleLine.MAX_LENGTH, new ConsoleLine("x".repeat(ConsoleLine.MAX_LENGTH)).text().length());
    }

    @Test
    void refusesWhatWouldTypeMoreThanOneLineOrNothing() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConsoleLine(null)).getMessage().contains("?line="));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleLine(""));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("   "));
        var nl = assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("verify\nhalt"));
        assertTrue(nl.getMessage().contains("U+000A"), nl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("verify\r"));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("ver\bify"));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("caf\u00e9"));
        var tooLong = assertThrows(IllegalArgumentException.class, () -> new ConsoleLine("x".repeat(ConsoleLine.MAX_LENGTH + 1)));
        assertTrue(tooLong.getMessage().contains("too long"), tooLong.getMessage());
    }
}
