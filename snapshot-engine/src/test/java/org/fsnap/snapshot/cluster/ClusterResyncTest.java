package org.fsnap.snapshot.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.SnapshotEngine;
import org.fsnap.snapshot.SnapshotEngineConfig;
import org.fsnap.snapshot.SnapshotInfo;
import org.fsnap.snapshot.catalog.SnapshotCatalog;
import org.fsnap.snapshot.catalog.SnapshotCatalog.Publish;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.testing.Commands;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The catalogue map after a split-brain merge may be a stale copy (the discard merge policy keeps the
 * side Hazelcast picks, which may have missed what an earlier majority committed to the store): a node
 * that regains a majority refuses changes until it has re-read the catalogue from the store.
 */
class ClusterResyncTest {

    private static List<String> names(SnapshotEngine e, Path f) throws IOException {
        return e.list(f).stream().map(SnapshotInfo::name).sorted().toList();
    }

    private static Path file(Path export, String name, String content) throws IOException {
        Path f = export.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void aStaleCatalogueIsReReadFromTheStoreBeforeChangesAreAllowedAgain() throws Exception {
        Assumptions.assumeTrue(Commands.isRoot(), "the engine's identity xattr (trusted.*) needs root");
        Path export = Files.createTempDirectory("fsnap-cluster-resync-");
        try (TestCluster cluster = TestCluster.start(3, 3, Duration.ofSeconds(60))) {
            ClusterMember node = cluster.members[0];
            SnapshotEngine engine = SnapshotEngine.open(node.configure(SnapshotEngineConfig.builder(export)).build());
            try {
                IMap<String, CatalogEntry> map = node.map(ClusterMember.CATALOG_MAP);

                // a: the majority's latest snapshot a2 is lost, the map keeps the older entry.
                Path a = file(export, "a.txt", "a");
                engine.create(a, "a1");
                FileKey ka = engine.keyOf(a).orElseThrow();
                CatalogEntry staleA = map.get(ka.toString());
                engine.create(a, "a2");
                // b: the map lost the history altogether.
                Path b = file(export, "b.txt", "b");
                engine.create(b, "b1");
                FileKey kb = engine.keyOf(b).orElseThrow();
                // c: removed by the majority (last snapshot deleted), still in the stale map.
                Path c = file(export, "c.txt", "c");
                engine.create(c, "c1");
                FileKey kc = engine.keyOf(c).orElseThrow();
                CatalogEntry staleC = map.get(kc.toString());
                engine.delete(c, "c1");
                // d: removed and created again (versions start over), the map has the earlier incarnation at
                // a higher version than the store's.
                Path d = file(export, "d.txt", "d");
                engine.create(d, "d1");
                engine.create(d, "d2");
                FileKey kd = engine.keyOf(d).orElseThrow();
                CatalogEntry staleD = map.get(kd.toString());
                engine.delete(d, "d1");
                engine.delete(d, "d2");
                engine.create(d, "d3");
                assertTrue(staleD.getVersion() > map.get(kd.toString()).getVersion());

                // What a discard merge into the stale side leaves behind.
                map.set(ka.toString(), staleA);
                map.delete(kb.toString());
                map.set(kc.toString(), staleC);
                map.set(kd.toString(), staleD);
                assertEquals(List.of("a1"), names(engine, a));
                assertEquals(List.of(), names(engine, b));
                assertEquals(List.of("c1"), names(engine, c));
                assertEquals(List.of("d1", "d2"), names(engine, d));

                // A second re-reader that waits for the test, so the refusal can be seen while it runs.
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Runnable unregister = node.catalog().resyncWith(() -> {
                    started.countDown();
                    try {
                        release.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    return new SnapshotCatalog.Resynced(0, 0, 0, 0);
                });
                try {
                    // Every map entry on every member first: member 0 alone must keep the (stale) map.
                    cluster.awaitSafe();
                    // Lose the majority (real members die), then regain it (they start again).
                    cluster.crash(1);
                    cluster.crash(2);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    // The quorum flag and the resync mark are set by two listeners of the same
                    // membership event, a moment apart: wait for both.
                    while ((node.hasQuorum() || !node.resynchronising()) && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertFalse(node.hasQuorum());
                    assertTrue(node.resynchronising(), "the catalogue may go stale from the loss on");
                    assertThrows(ClusterUnavailableException.class, () -> engine.create(a, "minority"));

                    cluster.startMembers(1, 2);
                    assertTrue(started.await(60, TimeUnit.SECONDS), "regaining the majority starts the re-read");
                    assertTrue(node.hasQuorum());
                    assertTrue(node.resynchronising());
                    assertThrows(ClusterUnavailableException.class, () -> engine.create(a, "during"));
                    assertThrows(ClusterUnavailableException.class, () -> engine.delete(a, "a1"));
                    assertThrows(ClusterUnavailableException.class, () -> engine.create(d, "during"));
                } finally {
                    release.countDown();
                    unregister.run();
                }
                node.awaitQuorum();
                assertFalse(node.resynchronising());

                // The store's state is back: a2 listed again, b back, c gone, d the new incarnation.
                assertEquals(List.of("a1", "a2"), names(engine, a));
                assertEquals(List.of("b1"), names(engine, b));
                assertEquals(List.of(), names(engine, c));
                assertTrue(node.catalog().find(kc).isEmpty());
                assertEquals(List.of("d3"), names(engine, d));

                // Changes work again, from the right versions.
                engine.create(a, "a3");
                engine.create(d, "d4");
                engine.create(c, "c2");
                assertEquals(List.of("a1", "a2", "a3"), names(engine, a));
                assertEquals(List.of("d3", "d4"), names(engine, d));
                assertEquals(List.of("c2"), names(engine, c));
            } finally {
                engine.close();
            }
        }
        // Everything is in the store, consistently: a single engine rebuilds the same state from it.
        try (SnapshotEngine alone = SnapshotEngine.open(export)) {
            assertEquals(List.of("a1", "a2", "a3"), names(alone, export.resolve("a.txt")));
            assertEquals(List.of("b1"), names(alone, export.resolve("b.txt")));
            assertEquals(List.of("c2"), names(alone, export.resolve("c.txt")));
            assertEquals(List.of("d3", "d4"), names(alone, export.resolve("d.txt")));
        }
    }

    private static FileHistory history(FileKey key, int snapshots, String prefix) {
        List<HistoryEvent> events = new ArrayList<>();
        events.add(new HistoryEvent.Located(1, "dir/f"));
        for (int i = 1; i <= snapshots; i++) {
            SnapshotRecord s = new SnapshotRecord(i, prefix + i, Instant.EPOCH.plusSeconds(i), i, i - 1,
                    CloneStrategy.STREAM_COPY, Instant.EPOCH);
            events.add(new HistoryEvent.Created(i + 1, s));
        }
        return FileHistory.replay(key, events);
    }

    @Test
    void publishingFromTheStoreNeverMovesAHistoryBackwards() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, 1, Duration.ofSeconds(60))) {
            HazelcastSnapshotCatalog catalog = cluster.members[0].catalog();
            FileKey key = FileKey.random();
            FileHistory v2 = history(key, 1, "s");
            FileHistory v3 = history(key, 2, "s");
            FileHistory v4 = history(key, 3, "s");
            FileHistory otherV4 = history(key, 3, "other");
            assertEquals(4, v4.version());

            assertEquals(Publish.PUBLISHED, catalog.publishIfNewer(v3), "absent: published");
            assertEquals(v3, catalog.find(key).orElseThrow());
            assertEquals(Publish.DIFFERENT, catalog.publishIfNewer(v2), "older: refused");
            assertEquals(v3, catalog.find(key).orElseThrow());
            assertEquals(Publish.SAME, catalog.publishIfNewer(v3));
            assertEquals(Publish.PUBLISHED, catalog.publishIfNewer(v4), "newer: published");
            assertEquals(Publish.DIFFERENT, catalog.publishIfNewer(otherV4), "same version, other content");
            assertEquals(v4, catalog.find(key).orElseThrow());
            assertEquals(java.util.Set.of(key), catalog.keys());

            // A commit whose state a re-read already published still succeeds; a different one does not.
            assertTrue(catalog.replace(key, 3, v4));
            assertFalse(catalog.replace(key, 3, otherV4));

            // Several nodes re-reading at once, in any order: the newest version stays.
            FileKey many = FileKey.random();
            List<FileHistory> versions = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                versions.add(history(many, i, "m"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    List<FileHistory> order = new ArrayList<>(versions);
                    Collections.shuffle(order);
                    done.add(pool.submit(() -> {
                        for (FileHistory h : order) {
                            catalog.publishIfNewer(h);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(versions.getLast(), catalog.find(many).orElseThrow());
        }
    }
}
