package org.fsnap.snapshot.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.SnapshotRecord;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Locks and catalogue on three real Hazelcast members in this JVM (127.0.0.1), with a short lock lease
 * (3 s) so that lease expiry and fencing can be shown quickly.
 */
class ClusterLocksTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3, 3, LEASE);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HazelcastFileLocks locks(int i) {
        return cluster.members[i].locks();
    }

    private static HazelcastSnapshotCatalog catalog(int i) {
        return cluster.members[i].catalog();
    }

    @Test
    void exclusiveLockExcludesAcrossMembers() throws Exception {
        LockKey key = new LockKey.History(FileKey.random());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int[] counter = {0};
        int perMember = 100;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                HazelcastFileLocks locks = locks(m);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perMember; i++) {
                        try (FileLocks.Lease l = locks.exclusive(key)) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            int seen = counter[0]; // deliberately not atomic: only the lock protects it
                            Thread.onSpinWait();
                            counter[0] = seen + 1;
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, maxInside.get(), "two holders at once");
        assertEquals(3 * perMember, counter[0]);
        for (int m = 0; m < 3; m++) {
            assertEquals(0, locks(m).heldCount());
        }
    }

    @Test
    void sharedHoldersExcludeAnExclusiveHolder() throws Exception {
        LockKey key = new LockKey.Inode(1, 4242);
        AtomicInteger readers = new AtomicInteger();
        AtomicBoolean writer = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> readerTasks = new ArrayList<>();
            for (int m = 0; m < 2; m++) {
                HazelcastFileLocks locks = locks(m);
                readerTasks.add(pool.submit(() -> {
                    while (!stop.get()) {
                        try (FileLocks.Lease l = locks.shared(key)) {
                            readers.incrementAndGet();
                            if (writer.get()) {
                                violations.incrementAndGet();
                            }
                            reads.incrementAndGet();
                            readers.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<?> writes = pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    try (FileLocks.Lease l = locks(2).exclusive(key)) {
                        writer.set(true);
                        if (readers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        Thread.sleep(2);
                        if (readers.get() != 0) {
                            violations.incrementAndGet();
                        }
                        writer.set(false);
                    }
                }
                return null;
            });
            writes.get(120, TimeUnit.SECONDS);
            stop.set(true);
            for (Future<?> f : readerTasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertEquals(0, violations.get());
        assertTrue(reads.get() > 0, "readers never got in");
    }

    @Test
    void holderWhoseLeaseRanOutIsFenced() throws Exception {
        FileKey file = FileKey.random();
        LockKey key = new LockKey.History(file);
        FileLocks.Lease stale = locks(0).exclusive(key);
        catalog(0).beforeCommit(file, 0); // still fine while the lease runs
        Thread.sleep(LEASE.toMillis() + 500);

        try (FileLocks.Lease fresh = locks(1).exclusive(key)) {
            assertTrue(fresh.predecessorFailed(), "the new holder must learn its predecessor never released");
            // The old holder cannot commit any more: its token was replaced.
            assertThrows(ClusterUnavailableException.class, () -> catalog(0).beforeCommit(file, 0));
            catalog(1).beforeCommit(file, 0);
            assertTrue(catalog(1).replace(file, 0, history(file, 1, "a")));
            // Compare-and-set: a change computed from version 0 cannot land on version 1.
            assertFalse(catalog(0).replace(file, 0, history(file, 1, "b")));
            assertEquals("a", catalog(2).find(file).orElseThrow().snapshots().getFirst().name());
            // The old holder's release must not free the new holder's lock.
            stale.close();
            assertTrue(cluster.members[2].hazelcast().getMap(ClusterMember.LOCK_MAP).isLocked(
                    HazelcastFileLocks.name(key)));
        }
        assertFalse(cluster.members[2].hazelcast().getMap(ClusterMember.LOCK_MAP).isLocked(
                HazelcastFileLocks.name(key)));
        // A clean release leaves no record: the next holder has no failed predecessor.
        try (FileLocks.Lease next = locks(2).exclusive(key)) {
            assertFalse(next.predecessorFailed());
        }
    }

    @Test
    void commitWithoutTheLockIsRefused() {
        FileKey file = FileKey.random();
        assertThrows(ClusterUnavailableException.class, () -> catalog(0).beforeCommit(file, 0));
    }

    @Test
    void catalogueChangesAreSeenByEveryMemberAtOnce() {
        FileKey file = FileKey.random();
        for (int v = 1; v <= 20; v++) {
            FileHistory next = history(file, v, "s" + v);
            assertTrue(catalog(v % 3).replace(file, v - 1, next));
            for (int m = 0; m < 3; m++) {
                assertEquals(v, catalog(m).find(file).orElseThrow().version(), "member " + m + " is stale");
            }
        }
        FileHistory last = catalog(1).find(file).orElseThrow();
        assertEquals(20, last.snapshots().size());
        assertEquals("dir/sub", last.locationDirectory());
        assertTrue(catalog(2).locatedIn("dir/sub").stream().anyMatch(h -> h.key().equals(file)));
        assertFalse(catalog(2).remove(file, 19));
        assertTrue(catalog(0).remove(file, 20));
        assertTrue(catalog(2).find(file).isEmpty());
    }

    /** A history at {@code version} whose newest snapshot is {@code name}, built on the catalogue's state. */
    private static FileHistory history(FileKey file, long version, String name) {
        FileHistory h = catalog(0).find(file).orElse(FileHistory.empty(file));
        if (h.version() == 0) {
            h = h.apply(new HistoryEvent.Located(0, "dir/sub/file"));
        }
        SnapshotRecord r = new SnapshotRecord(h.nextSerial(), name, Instant.parse("2026-11-22T20:00:00Z"), 10,
                h.currentSerial(), CloneStrategy.STREAM_COPY, Instant.parse("2026-11-22T19:00:00Z"));
        return h.apply(new HistoryEvent.Created(version, r));
    }

    static ClusterUnavailableException unavailable(Runnable r) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, r::run);
        return assertInstanceOf(ClusterUnavailableException.class, e.getCause());
    }
}
