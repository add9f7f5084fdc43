package org.fsnap.snapshot.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.junit.jupiter.api.Test;

class FileHistoryTest {

    private final FileKey key = FileKey.random();
    private FileHistory h = FileHistory.empty(key);

    private void create(String name) {
        SnapshotRecord r = new SnapshotRecord(h.nextSerial(), name, Instant.EPOCH, 1, h.currentSerial(),
                CloneStrategy.FICLONE, Instant.EPOCH);
        h = h.apply(new HistoryEvent.Created(h.version() + 1, r));
    }

    private void revert(String name) {
        long serial = h.find(name).orElseThrow().serial();
        h = h.apply(new HistoryEvent.RevertStarted(h.version() + 1, serial, 1, "f"));
        h = h.apply(new HistoryEvent.CurrentChanged(h.version() + 1, serial));
    }

    private void delete(String name) {
        h = h.apply(new HistoryEvent.Deleted(h.version() + 1, h.find(name).orElseThrow().serial()));
    }

    private List<String> parents() {
        return h.toInfos().stream().map(i -> i.name() + "<" + i.parent().orElse("-")).toList();
    }

    @Test
    void branchesFollowTheCurrentSnapshotAndDeleteReparents() {
        create("a");
        create("b");
        create("c");
        revert("a");
        create("d");
        assertEquals(List.of("a<-", "b<a", "c<b", "d<a"), parents());
        assertEquals(Optional.of("d"), h.currentName());
        delete("a");
        assertEquals(List.of("b<-", "c<b", "d<-"), parents());
        delete("d"); // the current one: its parent (none) becomes current
        assertEquals(Optional.empty(), h.currentName());
        create("e");
        assertEquals(List.of("b<-", "c<b", "e<-"), parents());
        assertEquals(9, h.version(), "every event bumps the version");
    }

    @Test
    void serialsAreNeverReusedAndNamesCanBeTakenAgain() {
        create("x");
        create("y");
        delete("y");
        create("y");
        assertEquals(List.of(1L, 3L), h.snapshots().stream().map(SnapshotRecord::serial).toList());
    }

    @Test
    void compactedEventsRebuildTheSameState() {
        create("a");
        create("b");
        revert("a");
        create("c");
        delete("b");
        h = h.apply(new HistoryEvent.Located(h.version() + 1, "dir/file"));
        h = h.apply(new HistoryEvent.LiveRemoved(h.version() + 1));
        h = h.apply(new HistoryEvent.RevertStarted(h.version() + 1, 1, 42, "dir/file"));
        FileHistory rebuilt = FileHistory.replay(key, h.asEvents());
        assertEquals(h, rebuilt);
        List<SnapshotInfo> infos = rebuilt.toInfos();
        assertTrue(infos.get(1).current());
        assertEquals("dir", rebuilt.locationDirectory());
        assertEquals("file", rebuilt.locationName());
    }
}
