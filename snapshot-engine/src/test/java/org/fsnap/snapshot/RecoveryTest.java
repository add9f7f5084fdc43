package org.fsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.HistoryEventCodec;
import org.fsnap.snapshot.testing.Commands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery repairs each kind of debris an interrupted operation can leave, on the host's temp
 * filesystem. (The crash test produces these states by killing a JVM; here they are made by hand.)
 */
class RecoveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryTest.class);

    @TempDir
    Path export;

    private Path live;

    @BeforeEach
    void needsRoot() {
        if (!Commands.isRoot()) {
            LOG.warn("SKIPPED: recovery tests need root for the trusted.fsnap.id xattr");
            org.junit.jupiter.api.Assumptions.abort("not root: trusted.* xattrs are not writable");
        }
        live = export.resolve("live.txt");
    }

    private Path historyDir(FileKey key) {
        return export.resolve(SnapshotEngine.STORE_DIRECTORY_NAME).resolve("files").resolve(key.toString());
    }

    private FileKey twoSnapshots() throws IOException {
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            Files.writeString(live, "first content");
            engine.create(live, "one");
            Files.writeString(live, "second");
            engine.create(live, "two");
            return engine.keyOf(live).orElseThrow();
        }
    }

    @Test
    void tornLogRecordIsCutAndItsOperationDidNotHappen() throws IOException {
        FileKey key = twoSnapshots();
        Path log = historyDir(key).resolve("history.log");
        long intact = Files.size(log);
        Files.writeString(log, "1234abcd C 99 3 thr", StandardOpenOption.APPEND);
        Files.writeString(historyDir(key).resolve("3.snap"), "half");
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(2, engine.recoveryRepairs());
            assertEquals(List.of("one", "two"), SnapshotEngineTest.names(engine.list(live)));
            assertEquals(intact, Files.size(log));
            assertFalse(Files.exists(historyDir(key).resolve("3.snap")));
            assertEquals("three", engine.create(live, "three").name());
        }
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(0, engine.recoveryRepairs());
            assertEquals(List.of("one", "two", "three"), SnapshotEngineTest.names(engine.list(live)));
        }
    }

    @Test
    void leftoversAreRemoved() throws IOException {
        FileKey key = twoSnapshots();
        Files.writeString(historyDir(key).resolve("17.snap"), "uncommitted");
        Files.writeString(historyDir(key).resolve("history.compact"), "partial compaction");
        Files.writeString(export.resolve(SnapshotEngine.STORE_DIRECTORY_NAME).resolve("probe-x.src"), "p");
        Path emptyHistory = Files.createDirectory(historyDir(FileKey.random()));
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(4, engine.recoveryRepairs());
            assertFalse(Files.exists(historyDir(key).resolve("17.snap")));
            assertFalse(Files.exists(historyDir(key).resolve("history.compact")));
            assertFalse(Files.exists(emptyHistory));
            assertEquals(List.of("one", "two"), SnapshotEngineTest.names(engine.list(live)));
        }
    }

    @Test
    void interruptedRevertIsCompleted() throws IOException {
        FileKey key = twoSnapshots();
        long inode = SnapshotEngineTest.inode(live);
        appendEvent(key, version -> new HistoryEvent.RevertStarted(version, 1, inode, "live.txt"));
        Files.writeString(live, "firXX"); // a half-applied revert
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(1, engine.recoveryRepairs());
            assertEquals("first content", Files.readString(live));
            assertEquals(inode, SnapshotEngineTest.inode(live));
            assertEquals(Optional.of("one"), engine.current(live));
        }
    }

    @Test
    void revertIntentForAnotherFileIsAbandoned() throws IOException {
        FileKey key = twoSnapshots();
        long inode = SnapshotEngineTest.inode(live);
        appendEvent(key, version -> new HistoryEvent.RevertStarted(version, 1, inode, "live.txt"));
        Files.delete(live);
        Files.writeString(live, "an unrelated new file"); // same name, no identity
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(1, engine.recoveryRepairs());
            assertEquals("an unrelated new file", Files.readString(live));
            assertEquals(List.of("one", "two"), SnapshotEngineTest.names(engine.list(key)));
            assertEquals(Optional.of("two"), engine.current(key));
        }
    }

    @Test
    void snapshotWithMissingContentIsDropped() throws IOException {
        FileKey key = twoSnapshots();
        Files.delete(historyDir(key).resolve("1.snap"));
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(1, engine.recoveryRepairs());
            List<SnapshotInfo> list = engine.list(live);
            assertEquals(List.of("two"), SnapshotEngineTest.names(list));
            assertEquals(Optional.empty(), list.getFirst().parent());
        }
    }

    @Test
    void unexpectedStoreEntriesAreLeftAlone() throws IOException {
        twoSnapshots();
        Path foreign = export.resolve(SnapshotEngine.STORE_DIRECTORY_NAME).resolve("files").resolve("README");
        Files.writeString(foreign, "someone else's");
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertTrue(Files.exists(foreign));
            assertEquals(2, engine.list(live).size());
        }
    }

    @Test
    void logWithUnknownGarbageInTheMiddleKeepsTheIntactPrefix() throws IOException {
        FileKey key = twoSnapshots();
        Path log = historyDir(key).resolve("history.log");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(lines.size() >= 3);
        Files.write(log, List.of(lines.get(0), "garbage", lines.get(2)), StandardCharsets.UTF_8);
        try (SnapshotEngine engine = SnapshotEngine.open(export)) {
            assertEquals(List.of("one"), SnapshotEngineTest.names(engine.list(live)));
        }
    }

    private void appendEvent(FileKey key, java.util.function.LongFunction<HistoryEvent> event) throws IOException {
        Path log = historyDir(key).resolve("history.log");
        long version = HistoryEventCodec.decode(Files.readAllBytes(log)).events().stream()
                .mapToLong(HistoryEvent::version).max().orElse(0);
        Files.write(log, HistoryEventCodec.encode(List.of(event.apply(version + 1))), StandardOpenOption.APPEND);
    }

    @Test
    void identityOfRandomUuidNamesIsParsed() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(new FileKey(id)), FileKey.fromXattr(id.toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), FileKey.fromXattr("not-a-uuid".getBytes(StandardCharsets.US_ASCII)));
    }
}
