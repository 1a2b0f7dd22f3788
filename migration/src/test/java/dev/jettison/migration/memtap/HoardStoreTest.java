package dev.jettison.migration.memtap;

import dev.jettison.core.prefetch.HoardHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoardStoreTest {
    @Test
    void aSavedHistoryComesBackRankedTheSame(@TempDir Path dir) throws IOException {
        var store = new HoardStore(dir.resolve("hoard.txt"));
        assertEquals(0, store.load().consolidations(), "no file yet: an empty history");
        var h = new HoardHistory();
        h.recordConsolidation(List.of(10L, 11L, 12L));
        h.recordConsolidation(List.of(12L, 99L));
        store.save(h);
        var back = store.load();
        assertEquals(2, back.consolidations());
        assertEquals(h.ranked(100), back.ranked(100));
        assertTrue(Files.readString(store.file()).startsWith(HoardStore.HEADER + "2\n"));
    }

    @Test
    void aDamagedFileIsRefusedNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        var store = new HoardStore(dir.resolve("hoard.txt"));
        Files.writeString(store.file(), HoardStore.HEADER + "1\n5,1,1\n6,x,1\n");
        var e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().contains("hoard.txt line 3"), e.getMessage());
        Files.writeString(store.file(), "page,count\n");
        e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().contains("not a hoard history"), e.getMessage());
        Files.writeString(store.file(), HoardStore.HEADER + "1\n5,3,1\n");
        e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().contains("only 1 happened"), e.getMessage());
    }
}
