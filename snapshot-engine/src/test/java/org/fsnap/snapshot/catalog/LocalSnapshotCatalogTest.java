package org.fsnap.snapshot.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.junit.jupiter.api.Test;

class LocalSnapshotCatalogTest {

    private final LocalSnapshotCatalog catalog = new LocalSnapshotCatalog();

    private static FileHistory at(FileHistory h, String location) {
        return h.apply(new HistoryEvent.Located(h.version() + 1, location));
    }

    @Test
    void compareAndSetOnVersionAndDirectoryIndex() {
        FileKey key = FileKey.random();
        FileHistory v1 = at(FileHistory.empty(key), "a/b/file");
        assertTrue(catalog.replace(key, 0, v1));
        assertFalse(catalog.replace(key, 0, v1), "stale expected version is refused");
        assertEquals(List.of(v1), List.copyOf(catalog.locatedIn("a/b")));

        FileHistory v2 = at(v1, "top");
        assertTrue(catalog.replace(key, v1.version(), v2));
        assertEquals(List.of(), List.copyOf(catalog.locatedIn("a/b")));
        assertEquals(List.of(v2), List.copyOf(catalog.locatedIn("")));

        assertFalse(catalog.remove(key, v1.version()));
        assertTrue(catalog.remove(key, v2.version()));
        assertTrue(catalog.find(key).isEmpty());
        assertEquals(List.of(), List.copyOf(catalog.locatedIn("")));
    }

    @Test
    void publishIfNewerNeverMovesBackwards() {
        FileKey key = FileKey.random();
        FileHistory v1 = at(FileHistory.empty(key), "a/file");
        FileHistory v2 = at(v1, "b/file");
        FileHistory otherV2 = at(v1, "c/file");
        assertEquals(SnapshotCatalog.Publish.PUBLISHED, catalog.publishIfNewer(v2));
        assertEquals(SnapshotCatalog.Publish.DIFFERENT, catalog.publishIfNewer(v1));
        assertEquals(SnapshotCatalog.Publish.SAME, catalog.publishIfNewer(v2));
        assertEquals(SnapshotCatalog.Publish.DIFFERENT, catalog.publishIfNewer(otherV2));
        assertEquals(v2, catalog.find(key).orElseThrow());
        assertEquals(List.of(v2), List.copyOf(catalog.locatedIn("b")));
    }
}
